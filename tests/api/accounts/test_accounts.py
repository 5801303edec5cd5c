import pytest

from marketplace.accounts.models import User
from tests.builders.accounts import PASSWORD

REGISTER = """
mutation($input: AccountRegisterInput!) {
  accountRegister(input: $input) { user { id email phone firstName } errors { field code message } }
}"""
TOKEN = """
mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token refreshToken user { email } errors { field code message }
  }
}"""
ME = "{ me { email phone firstName lastName isStaff seller { name } cooperatives { name } } }"

pytestmark = pytest.mark.django_db


def register(api, lang="en", **fields):
    data = {"email": "leila@example.com", "password": PASSWORD, **fields}
    return api(REGISTER, {"input": data}, lang=lang)["data"]["accountRegister"]


def test_register_normalises_a_persian_digit_mobile(api):
    result = register(api, phone="۰۹۱۵ ۱۲۳ ۴۵۶۷", firstName="لیلا")
    assert result == {"user": None, "errors": []}
    user = User.objects.get(email="leila@example.com")
    assert user.phone == "+989151234567"
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_register_never_tells_that_an_email_or_mobile_is_taken(api):
    first = register(api, phone="09151234567")
    again = [
        register(api, email="LEILA@example.com"),
        register(api, email="new@example.com", phone="+98 915 123 4567"),
    ]
    assert again == [first, first] == [{"user": None, "errors": []}] * 2
    assert User.objects.count() == 1
    leila = User.objects.get()
    assert leila.email == "leila@example.com" and leila.check_password(PASSWORD)


def test_registering_is_throttled_per_client_address(api, settings):
    settings.REGISTER_PER_CLIENT_HOUR = 3
    answers = [register(api, email=f"u{i}@example.com") for i in range(3)]
    answers.append(register(api, email="bad-address"))
    answers.append(register(api, email="u9@example.com"))
    assert answers[:3] == [{"user": None, "errors": []}] * 3
    assert [[e["code"] for e in a["errors"]] for a in answers[3:]] == [["THROTTLED"]] * 2
    assert User.objects.count() == 3


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"phone": "12345"}, "phone", "INVALID"),
        ({"phone": "02151234567"}, "phone", "INVALID"),  # a Tehran landline, not a mobile
        ({"email": "not-an-email"}, "email", "INVALID"),
        ({"email": ""}, "email", "REQUIRED"),
        ({"password": ""}, "password", "REQUIRED"),
        ({"password": "12345678"}, "password", "INVALID"),
        ({"firstName": "x" * 1_000_000}, "firstName", "TOO_LONG"),
        ({"email": "a" * 1_000_000 + "@x.ir"}, "email", "TOO_LONG"),
    ],
)
def test_register_rejects_bad_input_and_stores_nothing(api, fields, field, code):
    result = register(api, **fields)
    assert result["user"] is None
    assert (field, code) in [(e["field"], e["code"]) for e in result["errors"]]
    assert User.objects.count() == 0


def test_errors_speak_the_requested_language(api):
    persian = register(api, lang="fa", email="nope")["errors"][0]["message"]
    english = register(api, lang="en", email="nope")["errors"][0]["message"]
    assert english == "Enter a valid email address."
    assert persian != english
    assert any("\u0600" <= ch <= "\u06ff" for ch in persian)


def test_missing_required_argument_is_a_graphql_error_not_a_500(api):
    body = api(
        'mutation { accountRegister(input: {email: "a@b.ir"}) { errors { code } } }', status=400
    )
    assert body["errors"]


def test_token_create_with_email_or_persian_digit_mobile(api):
    register(api, phone="09151234567")
    by_email = api(TOKEN, {"email": "Leila@Example.com", "password": PASSWORD})["data"][
        "tokenCreate"
    ]
    assert by_email["errors"] == [] and by_email["token"] and by_email["refreshToken"]
    by_phone = api(TOKEN, {"email": "۰۹۱۵۱۲۳۴۵۶۷", "password": PASSWORD})["data"]["tokenCreate"]
    assert by_phone["user"]["email"] == "leila@example.com"
    me = api(ME, token=by_phone["token"])["data"]["me"]
    assert me["email"] == "leila@example.com" and me["seller"] is None and me["cooperatives"] == []


def test_token_create_wrong_password(api):
    register(api)
    result = api(TOKEN, {"email": "leila@example.com", "password": "wrong"})["data"]["tokenCreate"]
    assert result["token"] is None
    assert result["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_refresh_token_gives_a_working_access_token_and_access_token_cannot_refresh(api):
    register(api)
    tokens = api(TOKEN, {"email": "leila@example.com", "password": PASSWORD})["data"]["tokenCreate"]
    refresh = (
        """mutation($t: String!) { tokenRefresh(refreshToken: $t) { token errors { code } } }"""
    )
    fresh = api(refresh, {"t": tokens["refreshToken"]})["data"]["tokenRefresh"]
    assert fresh["errors"] == []
    assert api(ME, token=fresh["token"])["data"]["me"]["email"] == "leila@example.com"
    wrong_kind = api(refresh, {"t": tokens["token"]})["data"]["tokenRefresh"]
    assert wrong_kind["token"] is None and wrong_kind["errors"][0]["code"] == "INVALID"


def test_invalid_token_is_rejected_with_401(api):
    body = api(ME, token="not.a.token", status=401)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


def test_changing_the_password_revokes_tokens(api):
    register(api)
    token = api(TOKEN, {"email": "leila@example.com", "password": PASSWORD})["data"]["tokenCreate"][
        "token"
    ]
    user = User.objects.get()
    user.set_password("another-long-passphrase-2")
    user.save()
    api(ME, token=token, status=401)


def test_me_is_null_for_anonymous(api):
    assert api(ME)["data"]["me"] is None
