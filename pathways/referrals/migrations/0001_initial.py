
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_to_referrals(apps, schema_editor):
    """Existing databases: the content types (and so the permissions groups hold, the audit history
    and object permissions) and the care-event ledger's source names follow the models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    CareEvent = apps.get_model("clients", "CareEvent")
    for model in ("referral", "referralevent", "routingrule", "responsetarget"):
        if not ContentType.objects.filter(app_label="referrals", model=model).exists():
            ContentType.objects.filter(app_label="pathways", model=model).update(app_label="referrals")
        CareEvent.objects.filter(source_model=f"pathways.{model}").update(source_model=f"referrals.{model}")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('pathways', '0011_reminder_thresholds'),
        ('clients', '0006_care_event_ledger'),
        ('organisation', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables already exist (created by pathways' migrations, kept under their names):
        # only Django's picture of which app holds each model changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='ResponseTarget',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('urgency', models.CharField(choices=[('urgent', 'Urgent'), ('soon', 'Soon'), ('routine', 'Routine')], max_length=10, unique=True)),
                    ('hours', models.PositiveIntegerField(help_text='Hours from receipt to allocation')),
                ],
                options={
                    'db_table': 'pathways_responsetarget',
                },
            ),
            migrations.CreateModel(
                name='Referral',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('source', models.CharField(choices=[('self', 'Self'), ('family_friend', 'Family or friend'), ('gp', 'GP'), ('hospital', 'Hospital / Integrated Discharge Team'), ('community_health', 'Community health'), ('mental_health_trust', 'Mental health trust'), ('police', 'Police'), ('care_provider', 'Care provider'), ('other_council', 'Other council'), ('voluntary_sector', 'Voluntary sector'), ('other', 'Other')], max_length=30)),
                    ('referrer_name', models.CharField(blank=True, max_length=200)),
                    ('referrer_organisation', models.CharField(blank=True, max_length=200)),
                    ('referrer_phone', models.CharField(blank=True, max_length=30)),
                    ('needs_in_persons_words', models.TextField(blank=True, verbose_name="presenting needs, in the person's words")),
                    ('needs_referrer', models.TextField(blank=True, verbose_name='presenting needs, as the referrer describes them')),
                    ('urgency', models.CharField(choices=[('urgent', 'Urgent'), ('soon', 'Soon'), ('routine', 'Routine')], default='routine', max_length=10)),
                    ('hospital_discharge', models.BooleanField(default=False)),
                    ('ward', models.CharField(blank=True, max_length=100)),
                    ('admitted_on', models.DateField(blank=True, null=True)),
                    ('expected_discharge_on', models.DateField(blank=True, null=True)),
                    ('safeguarding_concern', models.BooleanField(default=False)),
                    ('mental_health', models.BooleanField(default=False)),
                    ('learning_disability_or_autism', models.BooleanField(default=False)),
                    ('sensory_loss', models.BooleanField(default=False)),
                    ('carer_needs_support', models.BooleanField(default=False)),
                    ('consent_given', models.BooleanField(default=False, verbose_name='the person consents to the referral')),
                    ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('status', models.CharField(choices=[('received', 'Received, waiting to be routed'), ('routed', "In the team's queue"), ('allocated', 'Allocated'), ('linked', 'Linked to existing work'), ('closed', 'Closed')], default='received', max_length=10)),
                    ('suggested_pathway', models.CharField(blank=True, choices=[('promoting_wellbeing', 'Promoting Wellbeing'), ('promoting_independence', 'Promoting Independence'), ('supporting_independence', 'Supporting Independence'), ('lifespan_0_25', 'Lifespan 0–25'), ('lifespan_26_plus', 'Lifespan 26+'), ('community_mental_health', 'Community Mental Health'), ('autism_and_sensory', 'Autism and Sensory')], max_length=40)),
                    ('routing_reason', models.CharField(blank=True, max_length=300)),
                    ('routed_at', models.DateTimeField(blank=True, null=True)),
                    ('link_reason', models.CharField(blank=True, max_length=300)),
                    ('allocated_at', models.DateTimeField(blank=True, null=True)),
                    ('outcome', models.CharField(blank=True, choices=[('pathway_started', 'Progressed to a pathway episode'), ('information_and_advice', 'Information and advice given'), ('signposted', 'Signposted to a community resource'), ('no_further_action', 'No further action'), ('support_declined', 'Support declined by the person'), ('added_to_open_work', "Added to the person's open work")], max_length=30)),
                    ('outcome_detail', models.TextField(blank=True)),
                    ('community_resource', models.CharField(blank=True, max_length=200)),
                    ('closed_at', models.DateTimeField(blank=True, null=True)),
                    ('allocated_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='clients.client')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('linked_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='linked', to='referrals.referral')),
                    ('locality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='organisation.locality')),
                    ('safeguarding_team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.team')),
                    ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='organisation.team')),
                ],
                options={
                    'db_table': 'pathways_referral',
                    'ordering': ['-received_at'],
                    'permissions': [('allocate_referral', 'Can allocate a referral to another practitioner')],
                },
            ),
            migrations.CreateModel(
                name='ReferralEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(max_length=20)),
                    ('detail', models.CharField(max_length=400)),
                    ('at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('referral', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='referrals.referral')),
                ],
                options={
                    'db_table': 'pathways_referralevent',
                    'ordering': ['at', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='RoutingRule',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('position', models.PositiveIntegerField(help_text='Rules are tried in this order, lowest first')),
                    ('name', models.CharField(max_length=120)),
                    ('is_active', models.BooleanField(default=True)),
                    ('min_age', models.PositiveIntegerField(blank=True, null=True)),
                    ('max_age', models.PositiveIntegerField(blank=True, null=True)),
                    ('primary_support_reasons', models.JSONField(blank=True, default=list, help_text='Any of these (empty: any)')),
                    ('required_flags', models.JSONField(blank=True, default=list, help_text='All of these flags (empty: none needed)')),
                    ('sources', models.JSONField(blank=True, default=list, help_text='Any of these sources (empty: any)')),
                    ('urgencies', models.JSONField(blank=True, default=list, help_text='Any of these urgencies (empty: any)')),
                    ('target_team_type', models.CharField(choices=[('integrated_triage', 'Integrated Triage'), ('promoting_independence', 'Promoting Independence (enablement)'), ('supporting_independence', 'Supporting Independence'), ('lifespan_0_25', 'Lifespan 0–25'), ('lifespan_26_plus', 'Lifespan 26+ community learning disability'), ('community_mental_health', 'Community Mental Health (joint)'), ('autism_and_sensory', 'Autism and Sensory'), ('integrated_discharge', 'Integrated Discharge'), ('safeguarding', 'Safeguarding')], max_length=40)),
                    ('target_pathway', models.CharField(choices=[('promoting_wellbeing', 'Promoting Wellbeing'), ('promoting_independence', 'Promoting Independence'), ('supporting_independence', 'Supporting Independence'), ('lifespan_0_25', 'Lifespan 0–25'), ('lifespan_26_plus', 'Lifespan 26+'), ('community_mental_health', 'Community Mental Health'), ('autism_and_sensory', 'Autism and Sensory')], max_length=40)),
                    ('decline_count', models.PositiveIntegerField(default=0, editable=False)),
                    ('localities', models.ManyToManyField(blank=True, help_text='Only in these localities (empty: all)', to='organisation.locality')),
                ],
                options={
                    'db_table': 'pathways_routingrule',
                    'ordering': ['position', 'pk'],
                },
            ),
            migrations.AddField(
                model_name='referral',
                name='routing_rule',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='referrals.routingrule'),
            ),
            migrations.AddIndex(
                model_name='referral',
                index=models.Index(fields=['team', 'status', 'received_at'], name='referral_queue_idx'),
            ),
            migrations.AddIndex(
                model_name='referral',
                index=models.Index(fields=['status', 'received_at'], name='referral_status_idx'),
            ),
            migrations.AddIndex(
                model_name='referral',
                index=models.Index(fields=['client', 'status'], name='referral_client_idx'),
            ),
        ]),
        migrations.RunPython(move_to_referrals, migrations.RunPython.noop),
    ]
