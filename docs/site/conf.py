"""Sphinx configuration of the course website (built by ``python3 run.py site``; see tools/website.py).

The pages are the student edition of the lessons with their stored outputs: nothing is executed.
Every file the pages load is in the built folder: no CDN, no web fonts, no MathJax, no require.js.
"""

project = "Leninism, Trotskyism and Stalinism"
author = "The course authors"
# As LICENSE-CONTENT.md: the course's text and data are CC BY 4.0; the documents and historians'
# extracts keep their own terms (each row's `rights`).
copyright = (
    "the course authors; text and data CC BY 4.0; documents and extracts under their own terms (LICENSE-CONTENT.md)"
)
language = "en"

extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# The stored outputs are the pages (nbval keeps them fresh); never run a kernel here.
nb_execution_mode = "off"
# Without saved widget state a widget view is an empty placeholder that would also pull in
# require.js and the widget manager from a CDN: drop the view, so the app's kernel-free HTML
# (or its plain-text note) shows instead.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
nb_merge_streams = True
# The website is for reading: no code cells, only their outputs (the notebooks keep the code).
nb_remove_code_source = True
myst_enable_extensions = []  # no dollar math: no page needs MathJax
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = "Leninism, Trotskyism and Stalinism"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["answers.js"]
html_favicon = "_static/favicon.svg"  # else browsers ask for /favicon.ico and log a 404
# Light mode by default: the charts are drawn on white. (Without this the theme logs
# "Got invalid theme mode" as a console error on a first visit.)
html_context = {"default_mode": "light"}
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "show_prev_next": True,
    "navigation_with_keys": False,
}
# No MathJax (Sphinx's default math renderer loads it from a CDN): the course has no formulas, and
# any math that slips in is shown as its source text by the "plain" renderer below.
html_math_renderer = "plain"


def _plain_math(self, node):  # a Sphinx visitor: math as escaped text, no script
    tag = "div" if node.tagname == "displaymath" else "span"
    self.body.append(f"<{tag} class='math'>{self.encode(node.astext())}</{tag}>")
    from docutils import nodes

    raise nodes.SkipNode


def setup(app):
    """Register the plain math renderer."""
    app.add_html_math_renderer("plain", (_plain_math, None), (_plain_math, None))
