"""`manage.py app_role NAME`: the PostgreSQL role the application connects as, owning nothing.

Run it as the owner of the tables (the role `migrate` runs as), after `migrate`. It creates NAME if it does not exist
(LOGIN, with the password in the environment variable named by --password-env, APP_DATABASE_PASSWORD by default) and
grants it exactly what the application needs:

- CONNECT on the database, USAGE on the schema (never CREATE: it cannot make tables, so it owns nothing);
- SELECT, INSERT, UPDATE, DELETE on every table, except the log (partners_logentry): SELECT and INSERT only;
- USAGE on every sequence (new rows take their ids);
- the same on tables and sequences the owner creates later (default privileges), so a new migration's tables
  need no second grant. The log's table exists from the first migration on, so it is never a "future" table.

TRUNCATE, REFERENCES and TRIGGER are never granted; ALTER TABLE, DISABLE TRIGGER and DROP TRIGGER need ownership,
which the role never has. Running it again is harmless. `--sql` prints the statements instead of running them
(without the password). A role that is a superuser, or a member of the owner, is refused: it could undo all of it;
so is a role that may create tables in the schema (PUBLIC may, on clusters made before PostgreSQL 15), which could
then own them.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

LOG_TABLE = "partners_logentry"


def grant_statements(*, role: str, owner: str, database: str, schema: str = "public") -> list:
    """The GRANT statements for `role`, as psycopg SQL objects (identifiers quoted)."""
    from psycopg import sql

    r, o, s = sql.Identifier(role), sql.Identifier(owner), sql.Identifier(schema)
    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), r),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(s, r),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {}.{} FROM {}").format(
            s, sql.Identifier(LOG_TABLE), r
        ),
        sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(o, s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE ON SEQUENCES TO {}").format(o, s, r),
    ]


class Command(BaseCommand):
    help = "Create (if missing) and grant the PostgreSQL role the application connects as; run as the tables' owner."

    def add_arguments(self, parser):
        parser.add_argument("role", help="name of the application's role, e.g. closeloop_app")
        parser.add_argument(
            "--password-env",
            default="APP_DATABASE_PASSWORD",
            metavar="VARIABLE",
            help="environment variable holding the password of a role to create (default APP_DATABASE_PASSWORD)",
        )
        parser.add_argument("--sql", action="store_true", help="print the statements instead of running them")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError(
                f"app_role needs PostgreSQL; DATABASE_URL names {connection.vendor}, which has no roles."
            )
        role = options["role"].strip()
        if not role:
            raise CommandError("Give the role a name, e.g. closeloop_app.")
        from psycopg import sql

        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            owner, database, schema = cursor.fetchone()
            if role == owner:
                raise CommandError(
                    f"{role} is the role running this command, the tables' owner; the application "
                    "must connect as another role."
                )
            cursor.execute(
                "SELECT rolsuper, pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s", [role, owner, role]
            )
            found = cursor.fetchone()
        if found and found[0]:
            raise CommandError(f"{role} is a superuser; it could disable the log's triggers. Use a plain role.")
        if found and found[1]:
            raise CommandError(
                f"{role} is a member of {owner}, the tables' owner, and would act as it. Use a role that is not."
            )
        statements = grant_statements(role=role, owner=owner, database=database, schema=schema)
        if options["sql"]:
            if not found:
                self.stdout.write(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '...';")
            for statement in statements:
                self.stdout.write(statement.as_string(connection.connection) + ";")
            return
        if not found:
            password = os.environ.get(options["password_env"], "")
            if not password:
                raise CommandError(
                    f"{role} does not exist yet: put its password in the environment variable "
                    f"{options['password_env']} and run again."
                )
            statements.insert(
                0, sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
            )
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.as_string(connection.connection))
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            if cursor.fetchone()[0]:  # clusters made before PostgreSQL 15 let PUBLIC create in `public`
                raise CommandError(  # nothing is granted: the transaction rolls back
                    f"{role} may create tables in the schema {schema} (granted to PUBLIC on clusters made before "
                    f"PostgreSQL 15), so it could own them. Run REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC as the "
                    "schema's owner, then this command again."
                )
        self.stdout.write(
            f"{role} may now read and write {database}'s tables and only add to its log; "
            f"it owns nothing there. Connect the application as {role}."
        )
