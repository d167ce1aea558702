"""Job-seeker registrations (求职登记) and the skills seekers declare."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from xiangtan_jobs.common.crypto import pii_digest
from xiangtan_jobs.common.masking import mask_name, mask_phone, mask_resident_id
from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.common.validators import NameTextValidator, validate_latitude, validate_longitude
from xiangtan_jobs.core.enums import ConsentMethod, SeekerStatus, SkillLevel, WageUnit

# What an erased or anonymised registration keeps instead of the phone: the encrypted field cannot
# hold an empty value (it stores NULL). Its digest and last digits are empty, so it answers no look-up.
ERASED_PHONE = "erased"


class SeekerQuerySet(models.QuerySet["SeekerRegistration"]):
    def current(self) -> SeekerQuerySet:
        """Registrations that are not withdrawn."""
        return self.exclude(status=SeekerStatus.WITHDRAWN)

    def not_anonymised(self) -> SeekerQuerySet:
        """Registrations that still belong to someone (neither erased nor anonymised for inactivity)."""
        return self.filter(anonymised_at__isnull=True)

    def by_phone(self, phone: str) -> SeekerQuerySet:
        return self.filter(phone_digest=pii_digest(phone))


class SeekerRegistration(TimeStampedModel):
    """One person's job-seeker registration; phone and ID number are encrypted at rest (PIPL)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    name = models.CharField("姓名", max_length=32, validators=[NameTextValidator()])
    phone = EncryptedCharField("手机号", max_length=20)
    # Digest and last four digits let staff find a person without decrypting every row.
    phone_digest = models.CharField(max_length=64, editable=False, db_index=True)
    phone_last4 = models.CharField(max_length=4, editable=False, db_index=True)
    # The encrypted field stores an empty value as NULL.
    id_number = EncryptedCharField("身份证号", max_length=18, blank=True, null=True)
    id_digest = models.CharField(max_length=64, editable=False, blank=True)
    birth_year = models.PositiveSmallIntegerField("出生年份")
    area = models.ForeignKey("core.Area", verbose_name="居住街道/乡镇", on_delete=models.PROTECT, related_name="+")
    home_lat = models.FloatField("居住地纬度", validators=[validate_latitude])
    home_lng = models.FloatField("居住地经度", validators=[validate_longitude])
    travel_km = models.PositiveSmallIntegerField("愿意通勤距离(公里)", default=10)
    skills = models.ManyToManyField(
        "core.Skill", through="core.SeekerSkill", related_name="seekers", verbose_name="技能"
    )
    work_types = models.JSONField("想做的用工形式", default=list, blank=True)
    shifts = models.JSONField("可上班时段", default=list, blank=True, help_text="留空表示时间都可以")
    expected_wage = models.PositiveIntegerField("期望薪资(元)", null=True, blank=True)
    expected_unit = models.CharField("期望薪资单位", max_length=8, choices=WageUnit.choices, blank=True)
    tags = models.JSONField("重点群体", default=list, blank=True)
    status = models.CharField("状态", max_length=16, choices=SeekerStatus.choices, default=SeekerStatus.ACTIVE)
    consent_version = models.CharField("同意的隐私告知版本", max_length=16)
    consent_at = models.DateTimeField("同意时间")
    consent_method = models.CharField(
        "同意方式", max_length=8, choices=ConsentMethod.choices, default=ConsentMethod.ONLINE
    )
    service_point = models.ForeignKey(
        "core.ServicePoint",
        verbose_name="登记服务点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A walk-in registration (consent on paper) is confirmed by the seeker at their first login.
    confirmed_online_at = models.DateTimeField("本人网上确认时间", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    # Set when the personal fields were removed (the seeker's erasure, or the retention task after
    # SEEKER_RETENTION_DAYS without activity): the row stays for the statistics, nobody behind it.
    anonymised_at = models.DateTimeField("匿名化时间", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["phone", "id_number", "updated_at"])
    objects = SeekerQuerySet.as_manager()

    class Meta:
        verbose_name = "求职登记"
        verbose_name_plural = "求职登记"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One current registration per person (by phone, and by ID number when given).
            # An anonymised registration keeps its status (the KPIs) and an empty digest: not a phone.
            models.UniqueConstraint(
                fields=["phone_digest"],
                condition=~Q(status="withdrawn") & ~Q(phone_digest=""),
                name="seeker_one_active_per_phone",
            ),
            models.UniqueConstraint(
                fields=["id_digest"],
                condition=~Q(status="withdrawn") & ~Q(id_digest=""),
                name="seeker_one_active_per_id",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(status="withdrawn") & Q(user__isnull=False),
                name="seeker_one_active_per_user",
            ),
            choices_constraint("status", SeekerStatus, "seeker_status_valid"),
            choices_constraint("consent_method", ConsentMethod, "seeker_consent_method_valid"),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1930, birth_year__lte=2015), name="seeker_birth_year_range"
            ),
            models.CheckConstraint(condition=Q(travel_km__gte=1, travel_km__lte=200), name="seeker_travel_km_range"),
            models.CheckConstraint(condition=~Q(consent_version=""), name="seeker_consent_recorded"),
        ]
        indexes = [
            models.Index(fields=["service_point", "status"], name="seeker_site_status"),
            models.Index(fields=["status", "area"], name="seeker_status_area"),
        ]

    def __str__(self) -> str:
        return f"{mask_name(self.name)} {mask_phone(self.phone)}"

    def refresh_digests(self) -> None:
        """Recompute the look-up digests from the (decrypted) phone and ID number."""
        if self.phone == ERASED_PHONE:
            self.phone_digest, self.phone_last4 = "", ""
        else:
            self.phone_digest = pii_digest(self.phone)
            self.phone_last4 = self.phone[-4:]
        self.id_digest = pii_digest(self.id_number) if self.id_number else ""

    def save(self, *args: object, **kwargs: object) -> None:
        # Keeping the digests beside the encrypted values is data integrity, not business flow.
        self.refresh_digests()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # passed through as given

    @property
    def needs_online_confirmation(self) -> bool:
        """Registered at a counter on the seeker's behalf and not yet confirmed by them online."""
        return self.consent_method == ConsentMethod.PAPER and self.confirmed_online_at is None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class SeekerSkill(models.Model):
    """A skill a seeker has, with level, years and whether they hold its certificate."""

    registration = models.ForeignKey(SeekerRegistration, on_delete=models.CASCADE, related_name="seeker_skills")
    skill = models.ForeignKey("core.Skill", verbose_name="技能", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField("水平", choices=SkillLevel.choices, default=SkillLevel.BASIC)
    years = models.PositiveSmallIntegerField("从业年限", default=0)
    has_certificate = models.BooleanField("持有证书", default=False)
    # 培训合格: the course that trained the seeker in this skill (its evidence); blank when not trained.
    trained_evidence = models.CharField("培训合格", max_length=120, blank=True)

    class Meta:
        verbose_name = "求职者技能"
        verbose_name_plural = "求职者技能"
        constraints = [
            models.UniqueConstraint(fields=["registration", "skill"], name="seekerskill_unique"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="seekerskill_level_1_5"),
            models.CheckConstraint(condition=Q(years__lte=60), name="seekerskill_years_le_60"),
        ]
        indexes = [models.Index(fields=["skill", "registration"], name="seekerskill_skill")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.skill_id}"
