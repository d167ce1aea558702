"""Youth employment & entrepreneurship stations (青年驿站)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiangtan_jobs.common.models import TimeStampedModel, choices_constraint
from xiangtan_jobs.core.models import SeekerRegistration, ServicePoint

from .enums import (
    BookingStatus,
    ConsultationTopic,
    CourseFunding,
    EnrolmentStatus,
    EventSignupStatus,
    ProjectServiceKind,
    ProjectStage,
    ProjectStatus,
    StationEventKind,
    StationEventStatus,
    StationHost,
)


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
    # The course's own rule for 培训合格: how many sessions a trainee must have attended.
    attendance_required = models.PositiveSmallIntegerField(
        "结业需出勤次数", default=0, help_text="学员至少出勤这么多次才能记录结业；0 表示不要求"
    )

    class Meta:
        verbose_name = "培训课程"
        verbose_name_plural = "培训课程"
        ordering = ["starts_on", "id"]
        constraints = [
            choices_constraint("funding", CourseFunding, "course_funding_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="course_ends_after_start"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="course_seats_ge_1"),
            models.CheckConstraint(
                condition=Q(attendance_required__lte=F("sessions")), name="course_attendance_le_sessions"
            ),
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


class CourseSession(models.Model):
    """One session (一次课) of a course, on a date; attendance is taken per session."""

    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="course_sessions")
    number = models.PositiveSmallIntegerField("第几次课")
    date = models.DateField("上课日期")
    topic = models.CharField("内容", max_length=100, blank=True)

    class Meta:
        verbose_name = "课程课次"
        verbose_name_plural = "课程课次"
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="coursesession_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="coursesession_number_ge_1"),
        ]

    def __str__(self) -> str:
        return f"{self.course} 第{self.number}次课"


class SessionAttendance(models.Model):
    """A trainee present at one session (a row exists only for those present)."""

    session = models.ForeignKey(CourseSession, verbose_name="课次", on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(
        CourseEnrolment, verbose_name="学员", on_delete=models.CASCADE, related_name="attendance"
    )
    recorded_at = models.DateTimeField("记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "出勤记录"
        verbose_name_plural = "出勤记录"
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="sessionattendance_once")]

    def __str__(self) -> str:
        return f"{self.session} #{self.enrolment_id}"


# --- recruitment events at a station (宣讲会, 小型招聘会) ------------------------------------


class StationEvent(TimeStampedModel):
    """A recruitment event held at a station; counted as an event held through its core.SiteEvent."""

    station = models.ForeignKey(YouthStation, verbose_name="驿站", on_delete=models.PROTECT, related_name="events_held")
    kind = models.CharField("活动类型", max_length=16, choices=StationEventKind.choices, default=StationEventKind.TALK)
    title = models.CharField("活动名称", max_length=100)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=128)
    description = models.TextField("介绍", blank=True)
    employers = models.ManyToManyField("core.Employer", verbose_name="参加单位", blank=True, related_name="+")
    postings = models.ManyToManyField("core.JobPosting", verbose_name="招聘岗位", blank=True, related_name="+")
    capacity = models.PositiveIntegerField("可报名人数", default=0, help_text="0 表示不限")
    status = models.CharField(
        "状态", max_length=16, choices=StationEventStatus.choices, default=StationEventStatus.PUBLISHED
    )
    # The event as held at the station (docs/kpis.md: events count only as core.SiteEvent).
    site_event = models.OneToOneField(
        "core.SiteEvent",
        verbose_name="服务点活动记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="station_event",
        editable=False,
    )

    class Meta:
        verbose_name = "驿站招聘活动"
        verbose_name_plural = "驿站招聘活动"
        ordering = ["-starts_at", "id"]
        constraints = [
            choices_constraint("kind", StationEventKind, "stationevent_kind_valid"),
            choices_constraint("status", StationEventStatus, "stationevent_status_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="stationevent_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class StationEventSignup(TimeStampedModel):
    """A seeker's sign-up for a station event; attendance is one person-time (core.ServiceRecord)."""

    event = models.ForeignKey(StationEvent, verbose_name="活动", on_delete=models.CASCADE, related_name="signups")
    seeker = models.ForeignKey(
        "core.SeekerRegistration", verbose_name="求职者", on_delete=models.CASCADE, related_name="station_event_signups"
    )
    status = models.CharField(
        "状态", max_length=16, choices=EventSignupStatus.choices, default=EventSignupStatus.SIGNED_UP
    )
    attended_at = models.DateTimeField("到场时间", null=True, blank=True)
    service_record = models.OneToOneField(
        "core.ServiceRecord", verbose_name="服务记录", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "活动报名"
        verbose_name_plural = "活动报名"
        ordering = ["created_at", "id"]
        constraints = [
            choices_constraint("status", EventSignupStatus, "stationeventsignup_status_valid"),
            models.UniqueConstraint(fields=["event", "seeker"], name="stationeventsignup_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.seeker_id}"


# --- startup incubation (创业孵化) ----------------------------------------------------------


class StartupProject(TimeStampedModel):
    """A startup project a station incubates, with its founders (registered seekers)."""

    station = models.ForeignKey(YouthStation, verbose_name="驿站", on_delete=models.PROTECT, related_name="projects")
    name = models.CharField("项目名称", max_length=64)
    summary = models.TextField("项目简介（内部）", blank=True)
    stage = models.CharField("阶段", max_length=16, choices=ProjectStage.choices, default=ProjectStage.IDEA)
    mentor = models.CharField("创业导师", max_length=32, blank=True)
    status = models.CharField("状态", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.INCUBATING)
    founders: models.ManyToManyField[SeekerRegistration, ProjectFounder] = models.ManyToManyField(
        "core.SeekerRegistration", verbose_name="创始人", through="ProjectFounder", related_name="startup_projects"
    )
    # The public showcase shows only what the founders agreed to: the name, the stage and this text.
    showcase = models.BooleanField("同意在成果展示中公开", default=False)
    showcase_text = models.CharField(
        "公开介绍", max_length=200, blank=True, help_text="公开展示时只显示项目名称、阶段和这段介绍"
    )

    class Meta:
        verbose_name = "创业孵化项目"
        verbose_name_plural = "创业孵化项目"
        ordering = ["-created_at", "id"]
        constraints = [
            choices_constraint("stage", ProjectStage, "startupproject_stage_valid"),
            choices_constraint("status", ProjectStatus, "startupproject_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectFounder(models.Model):
    project = models.ForeignKey(StartupProject, verbose_name="项目", on_delete=models.CASCADE)
    seeker = models.ForeignKey("core.SeekerRegistration", verbose_name="创始人", on_delete=models.PROTECT)
    role = models.CharField("分工", max_length=32, blank=True)

    class Meta:
        verbose_name = "创始人"
        verbose_name_plural = "创始人"
        constraints = [models.UniqueConstraint(fields=["project", "seeker"], name="projectfounder_once")]

    def __str__(self) -> str:
        return f"{self.project} #{self.seeker_id}"


class ProjectMilestone(models.Model):
    project = models.ForeignKey(
        StartupProject, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("里程碑", max_length=100)
    due_on = models.DateField("计划日期", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "项目里程碑"
        verbose_name_plural = "项目里程碑"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectService(models.Model):
    """A service given to a project: one person-time per founder (core.ServiceRecord), once."""

    project = models.ForeignKey(StartupProject, verbose_name="项目", on_delete=models.CASCADE, related_name="services")
    kind = models.CharField("服务内容", max_length=16, choices=ProjectServiceKind.choices)
    served_on = models.DateField("服务日期")
    note = models.CharField("说明", max_length=200, blank=True)
    service_records = models.ManyToManyField(
        "core.ServiceRecord", verbose_name="服务记录", blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "孵化服务"
        verbose_name_plural = "孵化服务"
        ordering = ["-served_on", "-id"]
        constraints = [choices_constraint("kind", ProjectServiceKind, "projectservice_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.served_on}"
