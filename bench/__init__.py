"""Benchmarks and the calibration of the lookup models, run by hand (`make bench`, `make calibrate`)."""
