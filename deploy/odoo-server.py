#!/usr/bin/env python3
"""Start Odoo's server as `odoo-bin` does, from any installation of Odoo 18.

In prefork mode (workers > 0) Odoo starts its gevent (websocket) process by running
``sys.executable sys.argv[0] gevent …``. Started with ``python -m odoo``, argv[0] is
odoo/__main__.py, which cannot run as a script: the websocket process dies at once and
/websocket answers 502. Started through this file it works, also where the pip-installed
``odoo`` console script is broken or no odoo-bin is shipped.
"""

import os

os.environ["TZ"] = "UTC"  # Odoo computes in UTC; set before anything imports time

import odoo

if __name__ == "__main__":
    odoo.cli.main()
