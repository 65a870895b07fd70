package model

// TriggerType is a kind of event (StackStorm's TriggerTypeAPI), e.g.
// core.st2.webhook, or one a pack's sensor emits.
type TriggerType struct {
	ID               string         `json:"id"`
	UID              string         `json:"uid"`
	Ref              string         `json:"ref"`
	Name             string         `json:"name"`
	Pack             string         `json:"pack"`
	Description      string         `json:"description,omitempty"`
	ParametersSchema map[string]any `json:"parameters_schema"`
	PayloadSchema    map[string]any `json:"payload_schema"`
	Tags             []Tag          `json:"tags"`
	MetadataFile     string         `json:"metadata_file,omitempty"`
}

// Trigger is a trigger type with parameters, shared by the rules that
// use the same type and parameters (StackStorm's TriggerAPI).
type Trigger struct {
	ID          string         `json:"id"`
	UID         string         `json:"uid"`
	Ref         string         `json:"ref"`
	Name        string         `json:"name"`
	Pack        string         `json:"pack"`
	Type        string         `json:"type"`
	Parameters  map[string]any `json:"parameters"`
	Description string         `json:"description,omitempty"`
}

// Trigger instance statuses.
const (
	TriggerInstancePending          = "pending"
	TriggerInstanceProcessing       = "processing"
	TriggerInstanceProcessed        = "processed"
	TriggerInstanceProcessingFailed = "processing_failed"
)

// TriggerInstance is one occurrence of a trigger (StackStorm's
// TriggerInstanceAPI); Trigger is the trigger's ref.
type TriggerInstance struct {
	ID             string         `json:"id"`
	Trigger        string         `json:"trigger"`
	Payload        map[string]any `json:"payload"`
	OccurrenceTime Time           `json:"occurrence_time"`
	Status         string         `json:"status"`
}

// RuleRef identifies a rule inside an enforcement record.
type RuleRef struct {
	ID  string `json:"id"`
	Ref string `json:"ref"`
	UID string `json:"uid"`
}

// Rule enforcement statuses.
const (
	EnforcementSucceeded = "succeeded"
	EnforcementFailed    = "failed"
)

// RuleEnforcement records that a rule matched a trigger instance and what
// came of it (StackStorm's RuleEnforcementAPI).
type RuleEnforcement struct {
	ID                string  `json:"id"`
	Rule              RuleRef `json:"rule"`
	TriggerInstanceID string  `json:"trigger_instance_id"`
	ExecutionID       string  `json:"execution_id,omitempty"`
	FailureReason     string  `json:"failure_reason,omitempty"`
	EnforcedAt        Time    `json:"enforced_at"`
	Status            string  `json:"status"`
}

// StoredDoc is a content document the store keeps as JSON (a rule, a
// sensor type), with the columns it is found by; the package that owns
// the format (rules, sensor) reads and writes the document.
type StoredDoc struct {
	ID   string
	Ref  string
	Pack string
	Doc  []byte
}
