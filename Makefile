# Two commands set everything up: `make run` serves the bot, `make test` checks it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ORG ?=

.PHONY: lock run chat test lint bench calibrate lemmas load fuzz check clean playground screenshots cards slack-blocks bench-slack embeddings

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The dependencies come from the lock files, every one pinned with its hashes; the project itself on top of them.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e '.[dev]'
	touch $(VENV)/.installed $@

lock: $(VENV)/.installed-dev  ## pin the dependencies again (with hashes) after changing them in pyproject.toml
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --extra postgres -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

run: $(VENV)/.installed  ## serve the bot on PORT (default 3978) with the embedded defaults, in development mode (no auth)
	INTEGRITEITSBOT_DEV=1 $(BIN)/integriteitsbot serve --dev $(if $(ORG),--org $(ORG))

chat: $(VENV)/.installed  ## chat with the bot in the terminal (development mode)
	INTEGRITEITSBOT_DEV=1 $(BIN)/integriteitsbot chat $(if $(ORG),--org $(ORG))

check: $(VENV)/.installed  ## validate every content pack
	$(BIN)/integriteitsbot content check

embeddings: $(VENV)/.installed  ## store the packs' sentence vectors beside them after changing content (start-up stays quick)
	$(BIN)/integriteitsbot content embed

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

test: $(VENV)/.installed-dev  ## ruff and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/pytest -q

bench: $(VENV)/.installed-dev  ## lookup and flow speed, lookup quality, import leave-one-out and a 40-page PDF
	$(BIN)/python bench/lookup.py --misses
	$(BIN)/python bench/flows.py
	$(BIN)/python -m bench.import_loo
	$(BIN)/python -m bench.replicas

calibrate: $(VENV)/.installed  ## learn the ranking, passage and gate models on the development set, and write them
	$(BIN)/python -m bench.calibrate --write
	$(BIN)/python -m bench.calibrate --text-only --write

lemmas: $(VENV)/.installed-dev  ## regenerate the lemma table after changing content (needs simplemma, a dev dependency)
	$(BIN)/python -m bot.knowledge.lemmas

load: $(VENV)/.installed  ## the service next to a bare echo bot under load, with issue 8's goals; ARGS=--quick
	$(BIN)/python bench/load.py $(ARGS)

bench-slack: $(VENV)/.installed-dev  ## Slack's acks, answers, modal pages and DMs against a fake Web API; ARGS="--reports 10"
	$(BIN)/python bench/slack.py $(ARGS)

fuzz: $(VENV)/.installed  ## 10,000 seeded bad requests against the service; ARGS="--count 2000"
	$(BIN)/python bench/fuzz.py $(ARGS)

slack-blocks: $(VENV)/.installed  ## every Slack message and modal page as Block Kit JSON into deploy/slack/blocks
	$(BIN)/python deploy/slack/sample_blocks.py

# The Microsoft 365 Agents Playground (a Teams look-alike, no Azure needed) and playwright-core, pinned in
# deploy/playground/package-lock.json. Needs Node.js 20+ and npm; screenshots also need Chromium (CHROMIUM=...).
PLAYGROUND_DIR := deploy/playground
SHOTS ?= /tmp/playground-shots
CARDS ?= /tmp/notification-cards

$(PLAYGROUND_DIR)/node_modules/.installed: $(PLAYGROUND_DIR)/package.json $(PLAYGROUND_DIR)/package-lock.json
	cd $(PLAYGROUND_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

playground: $(VENV)/.installed $(PLAYGROUND_DIR)/node_modules/.installed  ## the bot + the Agents Playground; Ctrl-C stops both
	$(PLAYGROUND_DIR)/run.sh

screenshots: $(VENV)/.installed $(PLAYGROUND_DIR)/node_modules/.installed  ## PNGs of a conversation in the Playground into SHOTS
	FRESH_DB=1 TEAMSAPPTESTER_BROWSER=none $(PLAYGROUND_DIR)/run.sh node $(PLAYGROUND_DIR)/screenshot.mjs $(SHOTS)

cards: $(VENV)/.installed $(PLAYGROUND_DIR)/node_modules/.installed  ## every notification card as JSON and PNG into CARDS
	$(BIN)/python deploy/teams/sample_cards.py $(CARDS)
	node $(PLAYGROUND_DIR)/render_cards.mjs $(CARDS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info $(PLAYGROUND_DIR)/node_modules
