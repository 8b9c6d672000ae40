# 客服中心 / Customer Service suite. See README.md.
# Every target runs scripts/csctl.py with the project's virtual environment
# .local/venv, which `venv` creates from python3 (with the system site-packages).
PYTHON ?= python3
VENV_PYTHON := .local/venv/bin/python
CSCTL := $(VENV_PYTHON) scripts/csctl.py
DB ?= cs_demo
# concurrent users `make cluster` sizes its nodes' workers for (deploy/README.md)
CLUSTER_USERS ?= 100

.PHONY: venv run update test lint stop rebuild-rollups backup restore cluster cluster-stop cluster-status

venv:       ## create .local/venv and install what requirements.txt asks and it lacks
	$(PYTHON) scripts/csctl.py venv

run: venv   ## set everything up, then serve the demo database on http://localhost:8069
	$(CSCTL) run

update: venv  ## upgrade the suite's addons in the demo database, then serve it
	$(CSCTL) run --update

test: venv  ## lint + Odoo tests + suite tests; last line "N passed, N failed"
	$(CSCTL) test

lint: venv  ## ruff + pylint-odoo
	$(CSCTL) lint

rebuild-rollups: venv  ## rebuild the report rollups of $(DB) from scratch
	$(CSCTL) rebuild-rollups --db $(DB)

backup: venv  ## pg_dump + filestore of $(DB) into .local/backups/
	$(CSCTL) backup --db $(DB)

restore: venv  ## the latest backup of $(DB) (or DUMP=file) into a new database (or TO=name)
	$(CSCTL) restore --db $(DB) $(if $(DUMP),--dump $(DUMP)) $(if $(TO),--to $(TO))

stop:       ## stop the project-local PostgreSQL cluster
	$(PYTHON) scripts/csctl.py stop

cluster: venv  ## production layout on loopback: primary + replica, 2 prefork nodes, cron node, nginx
	$(VENV_PYTHON) deploy/cluster.py start --users $(CLUSTER_USERS)

cluster-stop:  ## stop everything `make cluster` started
	$(PYTHON) deploy/cluster.py stop

cluster-status:
	$(PYTHON) deploy/cluster.py status
