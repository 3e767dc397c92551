"""Content negotiation of the API: `?format=` must name one of the view's formats. DRF ignores an empty value
and answers an unknown one 404; both are bad input, so both answer 400 naming the parameter."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        parameter = self.settings.URL_FORMAT_OVERRIDE
        value = format_suffix or (request.query_params.get(parameter) if parameter else None)
        formats = list(dict.fromkeys(renderer.format for renderer in renderers))
        if value is not None and value not in formats:
            raise exceptions.ValidationError({parameter: [f"Choose one of: {', '.join(formats)}."]})
        return super().select_renderer(request, renderers, format_suffix)
