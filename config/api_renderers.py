"""DRF's browsable API under the Content-Security-Policy.

DRF's own templates (the page, its filter and search forms, its highlighted Markdown) carry style attributes and an
inline <style>, which `style-src 'self'` refuses. Only on those HTML pages of the API the policy also allows inline
styles; scripts stay `'self'` only, as everywhere (DRF's scripts are files). JSON answers are not pages and are
unaffected. README, "Security model".
"""

from csp.constants import UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
