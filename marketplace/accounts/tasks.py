from celery import shared_task

from marketplace.accounts import login_codes


@shared_task
def delete_old_login_codes() -> int:
    return login_codes.delete_old_codes()
