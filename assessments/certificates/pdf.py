"""HTML → PDF with xhtml2pdf, confined to the shipped fonts.

Two gates stand between a template and the disk or the network: `fonts.link_callback`, which
resolves only the font files by name, and a resource policy that denies remote fetches and
local reads outside the fonts folder (xhtml2pdf applies it to every fetch, including the ones
that bypass the callback). Fonts are parsed once per process: xhtml2pdf keeps a registered
TrueType font by name and file digest, so later documents only subset it.
"""

import io

from django.template.loader import render_to_string
from reportlab import rl_config
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from .fonts import FONTS_DIR, RenderError, link_callback, missing_fonts

# Streams (the QR image, the font subsets) are written as binary rather than ASCII85 text:
# without ReportLab's optional C accelerator the pure-Python ASCII85 encoder was the largest
# single cost of a certificate (~25% of its time), and binary streams are 20% smaller.
# Process-wide, and harmless for any other ReportLab use: PDFs have carried binary since 1.2.
rl_config.useA85 = 0


def resource_policy(*, max_render_seconds=60):
    return ResourceAccessPolicy.server(
        base_dir=FONTS_DIR, allow_remote=False, max_render_seconds=max_render_seconds
    )


RESOURCE_POLICY = resource_policy()
# A dossier of 10,000 rows is one long render; still bounded.


def html_to_pdf(html, *, policy=RESOURCE_POLICY):
    missing = missing_fonts()
    if missing:
        # xhtml2pdf would fall back to Helvetica, which has no Vietnamese letters.
        raise RenderError(f"Certificate font missing: {missing[0]}")
    output = io.BytesIO()
    status = pisa.CreatePDF(
        html,
        dest=output,
        link_callback=link_callback,
        encoding="utf-8",
        resource_policy=policy,
    )
    if status.err:
        raise RenderError(f"xhtml2pdf reported {status.err} error(s)")
    return output.getvalue()


def render_pdf(template_name, context, *, policy=RESOURCE_POLICY):
    return html_to_pdf(render_to_string(template_name, context), policy=policy)
