"""Configuration of the real JupyterLab server the browser tests start (see playwright.config.ts).

Hermetic: loopback only, no token (the server is reachable from this machine only), no update
checks or news, app exposed as window.jupyterapp so tests can run commands.
"""
import os

c = get_config()  # noqa: F821 (provided by Jupyter's config loader)

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("RADLAB_UI_PORT", "8899"))
c.ServerApp.port_retries = 0
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True
c.ServerApp.root_dir = os.environ["RADLAB_UI_ROOT"]
c.IdentityProvider.token = ""
c.PasswordIdentityProvider.hashed_password = ""
c.ServerApp.disable_check_xsrf = True
c.LabApp.expose_app_in_browser = True
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.workspaces_dir = os.path.join(os.environ["RADLAB_UI_ROOT"], ".workspaces")
