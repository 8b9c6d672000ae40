# 客服中心 / Customer Service suite. See README.md.
PYTHON ?= python3

.PHONY: run test lint stop update

run:        ## set everything up, then serve the demo database on http://localhost:8069
	$(PYTHON) scripts/csctl.py run

update:     ## upgrade the five addons in the demo database, then serve it
	$(PYTHON) scripts/csctl.py run --update

test:       ## lint + Odoo tests + suite tests; last line "N passed, N failed"
	$(PYTHON) scripts/csctl.py test

lint:       ## ruff + pylint-odoo
	$(PYTHON) scripts/csctl.py lint

stop:       ## stop the project-local PostgreSQL cluster
	$(PYTHON) scripts/csctl.py stop
