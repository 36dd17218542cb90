"""Readable names of this module's audit actions (added to the audit log's table)."""

from django.utils.translation import gettext_lazy as _

from qifu.audit.labels import ACTION_LABELS

ACTION_LABELS.update(
    {
        "project.create": _("Project created"),
        "project.update": _("Project changed"),
        "project.stage": _("Project stage changed"),
        "project.date": _("Project signing or approval date recorded"),
        "project.plan_approve": _("Project timetable approved"),
        "project_key_list.create": _("Key project list created"),
        "project_obstacle.create": _("Project obstacle recorded"),
        "project_obstacle.update": _("Project obstacle changed"),
        "project_obstacle.resolve": _("Project obstacle resolved"),
        "project_obstacle.raise_appeal": _("Project obstacle raised as an appeal"),
        "project_inspection.create": _("Monthly inspection report submitted"),
        "project_inspection.update": _("Monthly inspection report corrected"),
        "project_meeting.create": _("Scheduling meeting recorded"),
        "project_task.create": _("Project task added"),
        "project_task.update": _("Project task changed"),
        "project_task.complete": _("Project task completed"),
        "project_milestone.create": _("Milestone added"),
        "project_milestone.update": _("Milestone changed"),
        "project_document.create": _("Document added to the project archive"),
    }
)
