"""Pagination of every API list: `?page=` (50 a page), refused with 400 naming the parameter when it is not a page
number, as the schema says (an integer from 1); a page past the last one answers 404."""

from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    last_page_strings = ()  # the schema promises an integer; "last" is not one
    message = "A page number is a whole number from 1; leave ?page= out for the first page."

    def get_page_number(self, request, paginator):
        if self.page_query_param not in request.query_params:
            return 1
        raw = request.query_params[self.page_query_param].strip()
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: [self.message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
