"""The rules of accounts that refuse an action, each with its own code."""

from rest_framework import status

from config.exceptions import ApplicationError, Conflict


class DomainNotAllowed(ApplicationError):
    default_code = "domain_not_allowed"

    def __init__(self, domain):
        super().__init__(
            f"The e-mail domain {domain or '(none)'} is not allowed. "
            "Use an address of an allowed domain."
        )


class EmailTaken(ApplicationError):
    default_code = "email_taken"

    def __init__(self):
        super().__init__("A user with this e-mail address already exists.")


class DomainExists(ApplicationError):
    default_code = "domain_exists"

    def __init__(self, domain):
        super().__init__(f"The domain {domain} is allowed already.")


class OwnAccount(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "own_account"

    def __init__(self):
        super().__init__(
            "You cannot change your own role, deactivate or delete yourself. "
            "Ask another admin."
        )


class OwnDomain(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "own_domain"

    def __init__(self):
        super().__init__(
            "You cannot deactivate or delete the domain of your own address: it "
            "would lock you out. Ask an admin of another domain."
        )


class UserOwnsData(Conflict):
    default_code = "user_owns_data"

    def __init__(self):
        super().__init__(
            "This user owns catalogs, files, versions or conversations and "
            "cannot be deleted. Deactivate the account instead."
        )


class InvalidCredentials(ApplicationError):
    default_code = "invalid_credentials"

    def __init__(self):
        super().__init__("Unable to log in with the e-mail address and password given.")


class LockedOut(ApplicationError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
