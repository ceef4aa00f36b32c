"""Writing to the audit log beyond what django-auditlog records on every save."""

from .models import AuditEntry


def audit_record_view(*, user, instance, reason: str = "") -> AuditEntry:
    """Record that a user viewed a record. Every view of a person's record is audited;
    a view with a stated reason (for example breaking the glass) keeps the reason."""
    return AuditEntry.objects.log_create(
        instance,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        actor=user,
        actor_email=user.email,
        changes={"reason": ["", reason]} if reason else None,
    )


def audit_record_views(*, user, instances, reason: str = "") -> int:
    """Record that a user viewed several records at once (a meeting pack, a list with detail): one
    insert for all of them, each entry the same as audit_record_view's."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    cid = get_cid()
    # bulk_create sends no pre_save signal, so take the request's address from auditlog's context here.
    request = auditlog_value.get({})
    entries = [AuditEntry(content_type=ContentType.objects.get_for_model(instance), object_pk=str(instance.pk),
                          object_id=instance.pk if isinstance(instance.pk, int) else None,
                          object_repr=smart_str(instance), action=AuditEntry.Action.ACCESS, actor=user,
                          actor_email=user.email, changes={"reason": ["", reason]} if reason else None, cid=cid,
                          remote_addr=request.get("remote_addr"), remote_port=request.get("remote_port"))
               for instance in instances]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


def audit_records_written(*, user, model, changes: dict, action=AuditEntry.Action.UPDATE) -> int:
    """Record bulk writes that auditlog's signals never see (bulk_create, a queryset update): one entry
    per row, `changes` mapping each pk to its {field: [old, new]}."""
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType

    content_type, cid = ContentType.objects.get_for_model(model), get_cid()
    entries = [AuditEntry(content_type=content_type, object_pk=str(pk), object_id=pk if isinstance(pk, int) else None,
                          object_repr=f"{model._meta.verbose_name} {pk}", action=action, actor=user,
                          actor_email=getattr(user, "email", ""), changes=fields, cid=cid)
               for pk, fields in changes.items()]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def audit_records_moved(*, user, model, pks, field: str, old, new) -> int:
    """Record a bulk move of rows from one record to another (a merge moves every note, plan and
    allocation with a queryset update): one entry per row."""
    return audit_records_written(user=user, model=model, changes={pk: {field: [str(old), str(new)]} for pk in pks})
