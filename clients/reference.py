"""Reference lists the system ships with (../shared/DOMAIN.md)."""

from django.db import models


class Gender(models.TextChoices):
    # NHS Data Dictionary, Person Stated Gender Code.
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    INDETERMINATE = "9", "Indeterminate (unable to be classified as either male or female)"
    NOT_KNOWN = "X", "Not known (not recorded)"


class Ethnicity(models.TextChoices):
    # NHS Data Dictionary, Ethnic Category (2001 census categories).
    WHITE_BRITISH = "A", "White – British"
    WHITE_IRISH = "B", "White – Irish"
    WHITE_OTHER = "C", "White – Any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed – White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed – White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed – White and Asian"
    MIXED_OTHER = "G", "Mixed – Any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British – Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British – Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British – Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British – Any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British – Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British – African"
    BLACK_OTHER = "P", "Black or Black British – Any other Black background"
    CHINESE = "R", "Other ethnic groups – Chinese"
    OTHER = "S", "Other ethnic groups – Any other ethnic group"
    NOT_STATED = "Z", "Not stated"
    NOT_KNOWN = "99", "Not known"


class PrimarySupportReason(models.TextChoices):
    PHYSICAL_ACCESS_MOBILITY = "physical_access_mobility", "Physical support: access and mobility only"
    PHYSICAL_PERSONAL_CARE = "physical_personal_care", "Physical support: personal care support"
    SENSORY_VISUAL = "sensory_visual", "Sensory support: visual impairment"
    SENSORY_HEARING = "sensory_hearing", "Sensory support: hearing impairment"
    SENSORY_DUAL = "sensory_dual", "Sensory support: dual impairment"
    MEMORY_COGNITION = "memory_cognition", "Support with memory and cognition"
    LEARNING_DISABILITY = "learning_disability", "Learning disability support"
    MENTAL_HEALTH = "mental_health", "Mental health support"
    SUBSTANCE_MISUSE = "substance_misuse", "Social support: substance misuse"
    ASYLUM_SEEKER = "asylum_seeker", "Social support: asylum seeker"
    SOCIAL_ISOLATION_OTHER = "social_isolation_other", "Social support: social isolation or other"
    UNPAID_CARER = "unpaid_carer", "Social support: support to unpaid carer"
    UNKNOWN = "unknown", "Unknown"


class AccommodationStatus(models.TextChoices):
    # Client Level Data's accommodation list (the return maps each to the release's wording).
    OWNER_OCCUPIER = "owner_occupier", "Owner occupier or shared ownership"
    TENANT_SOCIAL = "tenant_social", "Tenant: council or other social housing"
    TENANT_PRIVATE = "tenant_private", "Tenant: private landlord"
    WITH_FAMILY = "with_family", "Settled mainstream housing with family or friends"
    SUPPORTED = "supported", "Supported accommodation, supported lodgings or a supported group home"
    SHARED_LIVES = "shared_lives", "Shared Lives scheme"
    APPROVED_PREMISES = "approved_premises", "Approved premises (probation)"
    SHELTERED = "sheltered", "Sheltered or extra care housing"
    MOBILE = "mobile", "Mobile accommodation for Gypsy, Roma and Traveller communities"
    ROUGH_SLEEPER = "rough_sleeper", "Rough sleeping or squatting"
    NIGHT_SHELTER = "night_shelter", "Night shelter, emergency or direct access hostel"
    REFUGE = "refuge", "Refuge"
    TEMPORARY_COUNCIL = "temporary_council", "Temporary accommodation placed by the council"
    SHORT_TERM_GUEST = "short_term_guest", "Staying with family or friends as a short-term guest"
    HOSPITAL = "hospital", "Hospital or long-term healthcare residential facility"
    CARE_HOME = "care_home", "Registered care home"
    NURSING_HOME = "nursing_home", "Registered nursing home"
    PRISON = "prison", "Prison, young offenders institution or detention centre"
    OTHER_TEMPORARY = "other_temporary", "Other temporary accommodation"
    UNKNOWN = "unknown", "Not known"


class EmploymentStatus(models.TextChoices):
    PAID_UNDER_16 = "paid_under_16", "Paid: less than 16 hours a week"
    PAID_16_PLUS = "paid_16_plus", "Paid: 16 or more hours a week"
    PAID_HOURS_UNKNOWN = "paid_hours_unknown", "Paid: hours a week not known"
    SEEKING_WORK = "seeking_work", "Not in paid work: seeking work"
    NOT_SEEKING = "not_seeking", "Not in paid work: not seeking work or retired"
    VOLUNTARY = "voluntary", "Not in paid work: voluntary work only"
    UNKNOWN = "unknown", "Not known"


class ConsentToShare(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    LACKS_CAPACITY = "lacks_capacity", "Person lacks capacity to decide (best-interests decision recorded)"


class SafetyFlag(models.TextChoices):
    LONE_WORKER_RISK = "lone_worker", "Risk to lone workers"
    VIOLENCE_AGGRESSION = "aggression", "History of violence or aggression"
    DANGEROUS_ANIMAL = "animal", "Dangerous animal at the address"
    INFECTION_CONTROL = "infection", "Infection control precautions"
    SAFEGUARDING_RISK = "safeguarding", "Safeguarding risk in the household"
    FIRE_RISK = "fire", "Fire risk (e.g. smoking with oxygen)"
    OTHER = "other", "Other risk (see detail)"


class NoteType(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    VISIT = "visit", "Visit"
    OFFICE_CONTACT = "office_contact", "Office contact"
    MDT_DISCUSSION = "mdt_discussion", "MDT discussion"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class RelationshipType(models.TextChoices):
    CARER = "carer", "Carer"
    NEXT_OF_KIN = "next_of_kin", "Next of kin"
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Guardian"
    SPOUSE_PARTNER = "spouse_partner", "Spouse or partner"
    CHILD = "child", "Son or daughter"
    OTHER_FAMILY = "other_family", "Other family member"
    FRIEND = "friend", "Friend"
    ADVOCATE = "advocate", "Advocate"
    LASTING_POWER_OF_ATTORNEY = "lpa", "Lasting power of attorney"


class AssetKind(models.TextChoices):
    WHAT_MATTERS = "what_matters", "What matters to the person"
    STRENGTH = "strength", "Strength"
    NETWORK = "network", "Support network"
    COMMUNITY_RESOURCE = "community_resource", "Community resource in use"


class NetworkKind(models.TextChoices):
    FAMILY = "family", "Family"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    COMMUNITY_GROUP = "community_group", "Community group"
    FAITH_GROUP = "faith_group", "Faith group"
    OTHER = "other", "Other"
