from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    label = "clients"
    verbose_name = "People we support"

    def ready(self):
        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions
        from ascm.core.extensions import DemoData, Panel, SyntheticData, demo_data, home_panels, synthetic_data

        from . import audit_registry  # noqa: F401 - audit registration
        from .demo import demo_history, demo_people
        from .extensions import MergeHandler, merge_handlers
        from .permissions import client_policy, return_file_policy
        from .selectors import caseload_panel
        from .services import client_merge_own_rows
        from .synthetic import chronology_generate, people_generate

        home_panels.contribute("caseload", Panel(order=10, template="clients/_caseload_panel.html", context=caseload_panel))
        navigation.contribute("people", NavEntry(20, "People", "clients:search", client_policy))
        merge_handlers.contribute("clients", MergeHandler(order=0, move=client_merge_own_rows))
        from ascm.organisation.extensions import CloseCheck, close_checks

        from .selectors import people_allocated_to

        close_checks.contribute("clients-allocations", CloseCheck(10, people_allocated_to))
        demo_data.contribute("clients", DemoData(10, demo_people))
        demo_data.contribute("clients-history", DemoData(11, demo_history))
        synthetic_data.contribute("clients", SyntheticData(20, "people", people_generate))
        synthetic_data.contribute("chronology", SyntheticData(25, "case notes, relationships and strengths",
                                                              chronology_generate))

        casework = ("clients.view_client", "clients.add_client", "clients.change_client", "clients.view_casenote",
                    "clients.add_casenote", "clients.add_relationship", "clients.change_relationship",
                    "clients.add_clientasset", "clients.change_clientasset")
        role_permissions.contribute("clients:casework", RolePermissions(roles.CASEWORK, casework))
        role_permissions.contribute("clients:holder", RolePermissions(roles.HOLD_CASELOAD, ("clients.hold_caseload",)))
        role_permissions.contribute("clients:manager", RolePermissions(
            roles.MANAGE, ("clients.merge_client", "clients.view_breakglassaccess")))
        role_permissions.contribute("clients:finance", RolePermissions(roles.FINANCE, ("clients.view_client",)))
        # Returns officers put right the details a return needs (never the chronology: that is its own permission).
        role_permissions.contribute("clients:returns", RolePermissions(roles.RETURNS, (
            "clients.view_client", "clients.change_client", "clients.view_returnfile", "clients.add_returnfile")))
        navigation.contribute("returns", NavEntry(46, "Statutory returns", "returns:home", return_file_policy))
        role_permissions.contribute("clients:admin", RolePermissions(
            roles.SET_UP, ("clients.import_client", "clients.view_importrun", "clients.add_importrun")))
