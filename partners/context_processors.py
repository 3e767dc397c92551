from . import access, selectors


def organizations(request):
    """The organisations of the signed-in user, for the switcher in the navigation bar, and whether they may found
    a new one (auditors may not)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_organizations": selectors.organization_list(user=user),
        "may_create_organization": access.can_create_organization(user),
    }
