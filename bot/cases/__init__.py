"""Cases: storing a flow's outcome with its notifications, receipt codes, and following up."""
