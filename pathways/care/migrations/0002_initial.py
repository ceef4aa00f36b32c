
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_to_care(apps, schema_editor):
    """Existing databases: the content types (and so the permissions groups hold, the audit history
    and object permissions) and the care-event ledger's source names follow the models. Episodes had
    borrowed the referral permissions: whoever could change referrals may now start and close
    episodes under care's own permissions, and whoever could see referrals may see episodes."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    CareEvent = apps.get_model("clients", "CareEvent")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for model in ("episode", "assessment", "supportplan", "review", "pathwaysetting", "reminderthreshold"):
        if not ContentType.objects.filter(app_label="care", model=model).exists():
            ContentType.objects.filter(app_label="pathways", model=model).update(app_label="care")
        CareEvent.objects.filter(source_model=f"pathways.{model}").update(source_model=f"care.{model}")
    grants = {"view_referral": ["view_episode"], "change_referral": ["add_episode", "change_episode"]}
    for held, given in grants.items():
        perms = list(Permission.objects.filter(content_type__app_label="care", codename__in=given))
        for group in Group.objects.filter(permissions__content_type__app_label="referrals",
                                          permissions__codename=held).distinct():
            group.permissions.add(*perms)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('care', '0001_initial'),
        ('clients', '0006_care_event_ledger'),
        ('organisation', '0001_initial'),
        ('referrals', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables already exist (created by pathways' migrations, kept under their names):
        # only Django's picture of which app holds each model changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AddField(
                model_name='episode',
                name='referral',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='episodes', to='referrals.referral'),
            ),
            migrations.AddField(
                model_name='episode',
                name='team',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='episodes', to='organisation.team'),
            ),
            migrations.AddField(
                model_name='episode',
                name='worker',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='episodes', to=settings.AUTH_USER_MODEL),
            ),
            migrations.AddField(
                model_name='assessment',
                name='episode',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='care.episode'),
            ),
            migrations.AddConstraint(
                model_name='reminderthreshold',
                constraint=models.UniqueConstraint(fields=('name', 'effective_from'), name='reminder_threshold_once_a_day'),
            ),
            migrations.AddField(
                model_name='review',
                name='reviewer',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
            ),
            migrations.AddField(
                model_name='supportplan',
                name='assessment',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='care.assessment'),
            ),
            migrations.AddField(
                model_name='supportplan',
                name='author',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
            ),
            migrations.AddField(
                model_name='supportplan',
                name='client',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='support_plans', to='clients.client'),
            ),
            migrations.AddField(
                model_name='supportplan',
                name='episode',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='support_plans', to='care.episode'),
            ),
            migrations.AddField(
                model_name='review',
                name='plan',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='care.supportplan'),
            ),
            migrations.AddConstraint(
                model_name='episode',
                constraint=models.UniqueConstraint(condition=models.Q(('ended_on__isnull', True)), fields=('client', 'pathway'), name='episode_one_open_per_pathway', violation_error_message='The person already has an open episode on this pathway'),
            ),
            migrations.AddIndex(
                model_name='assessment',
                index=models.Index(fields=['status', 'submitted_at'], name='assessment_signoff_idx'),
            ),
            migrations.AddIndex(
                model_name='assessment',
                index=models.Index(fields=['author', 'status'], name='assessment_author_idx'),
            ),
            migrations.AddIndex(
                model_name='review',
                index=models.Index(fields=['completed_on', 'due_on'], name='review_due_idx'),
            ),
        ]),
        migrations.RunPython(move_to_care, migrations.RunPython.noop),
    ]
