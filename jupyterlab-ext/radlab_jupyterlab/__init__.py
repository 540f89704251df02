"""radlab's JupyterLab extension: renderers for the outputs of the @radlab/kernel library.

The package only carries the prebuilt labextension; JupyterLab finds it in
``share/jupyter/labextensions/@radlab/jupyterlab``.
"""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "@radlab/jupyterlab"}]
