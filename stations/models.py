"""Youth employment & entrepreneurship stations (青年驿站)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.core.models import ServicePoint

from .enums import BookingStatus, ConsultationTopic, CourseFunding, EnrolmentStatus, StationHost


class YouthStation(ServicePoint):
    """A youth station: consultation, training, recruitment and startup incubation."""

    host = models.CharField("依托场所", max_length=16, choices=StationHost.choices, default=StationHost.COMMUNITY)
    host_name = models.CharField("依托单位", max_length=64, blank=True)

    class Meta:
        verbose_name = "青年驿站"
        verbose_name_plural = "青年驿站"
        constraints = [choices_constraint("host", StationHost, "youthstation_host_valid")]


class ConsultationSlot(TimeStampedModel):
    """A time a station offers for consultations (career, policy, startup), for ``capacity`` people."""

    station = models.ForeignKey(YouthStation, verbose_name="驿站", on_delete=models.CASCADE, related_name="slots")
    topic = models.CharField("咨询类型", max_length=16, choices=ConsultationTopic.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可约人数", default=1)
    counsellor = models.CharField("咨询师", max_length=32, blank=True)

    class Meta:
        verbose_name = "咨询时段"
        verbose_name_plural = "咨询时段"
        ordering = ["starts_at", "id"]
        constraints = [
            choices_constraint("topic", ConsultationTopic, "consultationslot_topic_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="consultationslot_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="consultationslot_capacity_ge_1"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class ConsultationBooking(TimeStampedModel):
    """A seeker's booking of a slot; cancelled bookings free their place."""

    slot = models.ForeignKey(ConsultationSlot, verbose_name="时段", on_delete=models.CASCADE, related_name="bookings")
    seeker = models.ForeignKey(
        "core.SeekerRegistration", verbose_name="求职者", on_delete=models.CASCADE, related_name="consultation_bookings"
    )
    status = models.CharField("状态", max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "咨询预约"
        verbose_name_plural = "咨询预约"
        ordering = ["slot__starts_at", "id"]
        constraints = [
            choices_constraint("status", BookingStatus, "consultationbooking_status_valid"),
            models.UniqueConstraint(fields=["slot", "seeker"], name="consultationbooking_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} #{self.seeker_id}"


class Consultation(TimeStampedModel):
    """A consultation given (booked or walk-in): one person-time through its core.ServiceRecord."""

    station = models.ForeignKey(
        YouthStation, verbose_name="驿站", on_delete=models.PROTECT, related_name="consultations"
    )
    booking = models.OneToOneField(
        ConsultationBooking,
        verbose_name="预约",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation",
    )
    seeker = models.ForeignKey(
        "core.SeekerRegistration",
        verbose_name="求职者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    topic = models.CharField("咨询类型", max_length=16, choices=ConsultationTopic.choices)
    subject = models.CharField("咨询内容", max_length=100)
    outcome = models.CharField("咨询结果", max_length=200, blank=True)
    served_at = models.DateTimeField("咨询时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_record = models.OneToOneField(
        "core.ServiceRecord", verbose_name="服务记录", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "咨询记录"
        verbose_name_plural = "咨询记录"
        ordering = ["-served_at", "-id"]
        constraints = [choices_constraint("topic", ConsultationTopic, "consultation_topic_valid")]

    @property
    def is_walk_in(self) -> bool:
        return self.booking_id is None

    def __str__(self) -> str:
        return self.subject


class Course(TimeStampedModel):
    """A training course (技能有人教) published by a station or a gig market for one skill."""

    service_point = models.ForeignKey(
        "core.ServicePoint", verbose_name="举办服务点", on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField("课程名称", max_length=100)
    skill = models.ForeignKey("core.Skill", verbose_name="培训技能", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("开课日期")
    ends_on = models.DateField("结课日期")
    sessions = models.PositiveSmallIntegerField("课时数", default=1)
    seats = models.PositiveSmallIntegerField("名额")
    place = models.CharField("上课地点", max_length=128)
    funding = models.CharField("费用", max_length=16, choices=CourseFunding.choices, default=CourseFunding.FREE)
    certificate = models.CharField("可获证书", max_length=64, blank=True)

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["starts_on", "id"]
        constraints = [
            choices_constraint("funding", CourseFunding, "course_funding_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="course_seats_ge_1"),
        ]

    def __str__(self) -> str:
        return self.title


class CourseEnrolment(TimeStampedModel):
    """A seeker's place (or place on the waiting list) in a course."""

    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="enrolments")
    seeker = models.ForeignKey(
        "core.SeekerRegistration", verbose_name="求职者", on_delete=models.CASCADE, related_name="course_enrolments"
    )
    status = models.CharField("状态", max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    completed_at = models.DateTimeField("结业时间", null=True, blank=True)
    service_record = models.OneToOneField(
        "core.ServiceRecord", verbose_name="服务记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "课程报名"
        verbose_name_plural = "课程报名"
        ordering = ["created_at", "id"]
        constraints = [
            choices_constraint("status", EnrolmentStatus, "courseenrolment_status_valid"),
            models.UniqueConstraint(fields=["course", "seeker"], name="courseenrolment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.course} #{self.seeker_id}"
