"""Named defaults of the billing settings. The seeds give no amounts (seeds-inventory §1.1, §4.5):
these are starting values a finance manager changes in Settings, never business constants."""

# An adjustment up to this amount (company currency, tax included) may be approved by a team leader ...
DEFAULT_LEADER_APPROVAL_LIMIT = 200.0
# ... up to this one by the customer service manager; above it, only a billing manager approves.
DEFAULT_MANAGER_APPROVAL_LIMIT = 2000.0

PARAM_LEADER_LIMIT = "cs_billing.leader_approval_limit"
PARAM_MANAGER_LIMIT = "cs_billing.manager_approval_limit"
PARAM_WRITEOFF_ACCOUNT = "cs_billing.writeoff_account_id"
PARAM_WRITEOFF_JOURNAL = "cs_billing.writeoff_journal_id"
PARAM_COMPENSATION_PRODUCT = "cs_billing.compensation_product_id"
