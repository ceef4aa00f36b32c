
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('pathways', '0011_reminder_thresholds'),
        ('clients', '0006_care_event_ledger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables already exist (created by pathways' migrations, kept under their names):
        # only Django's picture of which app holds each model changes.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='PathwaySetting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('pathway', models.CharField(choices=[('promoting_wellbeing', 'Promoting Wellbeing'), ('promoting_independence', 'Promoting Independence'), ('supporting_independence', 'Supporting Independence'), ('lifespan_0_25', 'Lifespan 0–25'), ('lifespan_26_plus', 'Lifespan 26+'), ('community_mental_health', 'Community Mental Health'), ('autism_and_sensory', 'Autism and Sensory')], max_length=40, unique=True)),
                    ('planned_length_weeks', models.PositiveSmallIntegerField(blank=True, help_text='Weeks from the start of an episode to its planned end; blank for no planned end', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(104)])),
                ],
                options={
                    'db_table': 'pathways_pathwaysetting',
                    'ordering': ['pathway'],
                },
            ),
            migrations.CreateModel(
                name='ReminderThreshold',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(choices=[('review_due_days', 'Days before a review is due that its reminder is sent'), ('enablement_ending_days', "Days before enablement's planned end that it is flagged"), ('signoff_waiting_working_days', 'Working days an assessment may wait for sign-off before managers are reminded'), ('age_notice_days', 'Days before a young person reaches 14, 18 or 25½ that they are flagged')], max_length=40)),
                    ('value', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)])),
                    ('effective_from', models.DateField(default=django.utils.timezone.localdate)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ],
                options={
                    'db_table': 'pathways_reminderthreshold',
                    'ordering': ['name', '-effective_from'],
                },
            ),
            migrations.CreateModel(
                name='Review',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('due_on', models.DateField()),
                    ('completed_on', models.DateField(blank=True, null=True)),
                    ('what_changed', models.TextField(blank=True)),
                    ('outcome', models.CharField(blank=True, max_length=30)),
                ],
                options={
                    'db_table': 'pathways_review',
                    'ordering': ['due_on', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='SupportPlan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('starts_on', models.DateField(default=django.utils.timezone.localdate)),
                    ('ended_on', models.DateField(blank=True, null=True)),
                    ('outcomes', models.JSONField(default=list, help_text='[{outcome, met_by: own_strengths|network|community|service, how}]')),
                    ('contingency', models.TextField(blank=True)),
                    ('personal_budget', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True)),
                ],
                options={
                    'db_table': 'pathways_supportplan',
                    'ordering': ['-starts_on', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='Assessment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('kind', models.CharField(choices=[('needs', 'Care Act needs assessment'), ('carer', "Carer's assessment")], max_length=10)),
                    ('carer_name', models.CharField(blank=True, max_length=200)),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Waiting for sign-off'), ('returned', 'Returned with comments'), ('signed_off', 'Signed off')], default='draft', max_length=12)),
                    ('version', models.PositiveIntegerField(default=1)),
                    ('last_section', models.CharField(blank=True, max_length=30)),
                    ('answers', models.JSONField(blank=True, default=dict)),
                    ('determination', models.JSONField(blank=True, default=dict)),
                    ('practitioner_agrees', models.BooleanField(blank=True, null=True)),
                    ('disagreement_reason', models.TextField(blank=True)),
                    ('submitted_at', models.DateTimeField(blank=True, null=True)),
                    ('signed_off_at', models.DateTimeField(blank=True, null=True)),
                    ('return_comments', models.TextField(blank=True)),
                    ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to=settings.AUTH_USER_MODEL)),
                    ('carer', models.ForeignKey(blank=True, help_text='The carer, when they have a record of their own', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='carer_assessments', to='clients.client')),
                    ('client', models.ForeignKey(help_text="The person assessed (for a carer's assessment, the cared-for person)", on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='clients.client')),
                    ('last_saved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('signed_off_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('supersedes', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='superseded_by', to='care.assessment')),
                ],
                options={
                    'db_table': 'pathways_assessment',
                    'ordering': ['-created_at'],
                    'permissions': [('sign_off_assessment', 'Can sign off an assessment')],
                },
            ),
            migrations.CreateModel(
                name='Episode',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('pathway', models.CharField(choices=[('promoting_wellbeing', 'Promoting Wellbeing'), ('promoting_independence', 'Promoting Independence'), ('supporting_independence', 'Supporting Independence'), ('lifespan_0_25', 'Lifespan 0–25'), ('lifespan_26_plus', 'Lifespan 26+'), ('community_mental_health', 'Community Mental Health'), ('autism_and_sensory', 'Autism and Sensory')], max_length=40)),
                    ('started_on', models.DateField(default=django.utils.timezone.localdate)),
                    ('planned_end_on', models.DateField(blank=True, null=True)),
                    ('ended_on', models.DateField(blank=True, null=True)),
                    ('outcome', models.CharField(blank=True, max_length=50)),
                    ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='episodes', to='clients.client')),
                    ('previous', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='next_episode', to='care.episode')),
                ],
                options={
                    'db_table': 'pathways_episode',
                    'ordering': ['-started_on', '-pk'],
                },
            ),
        ]),
    ]
