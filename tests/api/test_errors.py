"""One error format for every failure under /api/v1/: {detail, code} and, for invalid input
(400), {errors: {field: [messages]}}; Chinese unless the client sends Accept-Language: en."""

from __future__ import annotations

import pytest

from tests.api.conftest import session_client, token_client

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _invalid(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] in ("invalid", "parse_error")
    return body


def test_bad_query_answers_400_with_field_errors_in_chinese(api, ref):
    body = _invalid(api.get("/api/v1/jobs/", {"wage": "-5", "size": "0", "cursor": "zzz"}))
    assert body["detail"] == "请求参数有误。"
    assert body["errors"] == {
        "wage": ["确保该值大于或等于0。"],
        "size": ["每页条数须为 1 到 100 之间的整数。"],
        "cursor": ["无效的分页游标。"],
    }


def test_the_same_errors_in_english_with_accept_language(api, ref):
    body = _invalid(api.get("/api/v1/jobs/", {"wage": "-5", "size": "0", "cursor": "zzz"}, **EN))
    assert body["detail"] == "The request's parameters are not valid."
    assert body["errors"] == {
        "wage": ["Ensure this value is greater than or equal to 0."],
        "size": ["The page size must be a whole number from 1 to 100."],
        "cursor": ["Invalid page cursor."],
    }


def test_english_header_does_not_stick_to_the_next_request(api, ref):
    api.get("/api/v1/jobs/", {"size": "0"}, **EN)
    assert _invalid(api.get("/api/v1/jobs/", {"size": "0"}))["detail"] == "请求参数有误。"


@pytest.mark.parametrize("raw", ["１２", "²", "1_0", "1e3", "9" * 40, "0x10", "five"])
def test_numbers_are_ascii_digits_only(raw, api, ref):
    body = _invalid(api.get("/api/v1/jobs/", {"size": raw}))
    assert list(body["errors"]) == ["size"]


def test_body_errors_per_field(alice_key, two_sites):
    client = token_client(alice_key)
    body = _invalid(
        client.post(
            "/api/v1/operator/postings/",
            {"title": "", "wage_min": "１２", "wage_max": 10, "employer": True, "skills": [{"skill": "x"}]},
            format="json",
        )
    )
    errors = body["errors"]
    assert errors["title"] == ["该字段不能为空。"]
    assert errors["wage_min"] == ["请填写合法的数字。"]
    assert errors["employer"] == ["类型错误。期望为主键，获得的类型为 bool。"]
    assert errors["skills"] == {"0": {"skill": ["类型错误。期望为主键，获得的类型为 str。"]}}  # keyed by position
    assert errors["work_type"] == ["该字段是必填项。"]
    english = _invalid(client.post("/api/v1/operator/postings/", {"title": ""}, format="json", **EN))
    assert english["errors"]["title"] == ["This field may not be blank."]


def test_wage_range_and_scope_errors(alice_key, two_sites, yuhu):
    client = token_client(alice_key)
    a, b = two_sites["a"], two_sites["b"]
    body = {
        "employer": b["employer"].pk,
        "service_point": b["site"].pk,
        "title": "越权岗位",
        "area": a["posting"].area_id,
        "work_type": "day",
        "wage_min": 300,
        "wage_max": 200,
        "wage_unit": "day",
    }
    errors = _invalid(client.post("/api/v1/operator/postings/", body, format="json"))["errors"]
    assert errors == {
        "service_point": ["只能为自己的服务点录入岗位。"],
        "employer": ["请选择本服务点登记的用人单位。"],
    }
    body.update(service_point=yuhu.pk, employer=a["employer"].pk)
    errors = _invalid(client.post("/api/v1/operator/postings/", body, format="json", **EN))["errors"]
    assert errors == {"wage_max": ["The upper wage cannot be lower than the lower wage."]}


def test_a_service_s_django_validation_error_is_a_400(alice_key, yuhu):
    errors = _invalid(
        token_client(alice_key).post(
            "/api/v1/operator/employers/", {"name": "湘潭某公司", "credit_code": "123"}, format="json"
        )
    )["errors"]
    assert list(errors) == ["credit_code"]
    assert errors["credit_code"][0].startswith("统一社会信用代码应为 18 位")


@pytest.mark.parametrize("payload", ["not json", "{", "[1, 2", '{"a": NaN'])
def test_broken_json_is_a_400_in_the_format(payload, alice_key, ref):
    client = token_client(alice_key)
    body = _invalid(client.post("/api/v1/operator/employers/", payload, content_type="application/json"))
    assert body == {
        "detail": "请求体无法解析：请发送有效的 JSON。",
        "code": "parse_error",
        "errors": {"non_field_errors": ["请求体无法解析：请发送有效的 JSON。"]},
    }
    english = _invalid(client.post("/api/v1/operator/employers/", payload, content_type="application/json", **EN))
    assert english["detail"] == "The request body could not be read: please send valid JSON."


def test_a_nul_byte_answers_the_api_error_format(api, ref):
    body = _invalid(api.get("/api/v1/jobs/", {"q": "保\x00洁"}))
    assert body["errors"] == {"non_field_errors": ["请求里有无效字符。"]}


@pytest.mark.parametrize(
    ("url", "detail", "detail_en"),
    [
        ("/api/v1/nothing-here/", "未找到。", "Not found."),
        ("/api/v1/jobs/99999999/", "没有找到这个岗位。", "This posting was not found."),
        ("/api/v1/jobs/abc/", "未找到。", "Not found."),
    ],
)
def test_not_found_is_json_in_both_languages(url, detail, detail_en, api, ref):
    response = api.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": detail, "code": "not_found"}
    assert api.get(url, **EN).json() == {"detail": detail_en, "code": "not_found"}


def test_permission_errors_in_the_format(api, dora, alice, ref):
    response = api.get("/api/v1/me/registration/")
    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。", "code": "not_authenticated"}
    seeker = session_client(dora)
    response = seeker.get("/api/v1/operator/postings/")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "只有服务点运营人员或人社局工作人员可以使用这个接口。",
        "code": "permission_denied",
    }
    assert seeker.get("/api/v1/operator/postings/", **EN).json()["detail"] == (
        "Only service point operators and bureau staff may use this endpoint."
    )
    operator = session_client(alice)
    assert operator.get("/api/v1/me/registration/", **EN).json() == {
        "detail": "Please log in with a job seeker's account first.",
        "code": "permission_denied",
    }


def test_method_not_allowed_in_the_format(alice_key, two_sites):
    response = token_client(alice_key).delete(f"/api/v1/operator/employers/{two_sites['a']['employer'].pk}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
