package model

import "encoding/json"

// ParamSpec is one entry of an action's or runner's parameters map: a JSON
// schema (draft 4) property plus StackStorm's extensions (required per
// property, immutable, secret, position).
type ParamSpec struct {
	Type                 any            `json:"type,omitempty" yaml:"type"`
	Description          string         `json:"description,omitempty" yaml:"description"`
	Default              any            `json:"default,omitempty" yaml:"default"`
	Required             bool           `json:"required,omitempty" yaml:"required"`
	Immutable            bool           `json:"immutable,omitempty" yaml:"immutable"`
	Secret               bool           `json:"secret,omitempty" yaml:"secret"`
	Position             *int           `json:"position,omitempty" yaml:"position"`
	Enum                 []any          `json:"enum,omitempty" yaml:"enum"`
	Items                map[string]any `json:"items,omitempty" yaml:"items"`
	Properties           map[string]any `json:"properties,omitempty" yaml:"properties"`
	AdditionalProperties any            `json:"additionalProperties,omitempty" yaml:"additionalProperties"`
	Minimum              *float64       `json:"minimum,omitempty" yaml:"minimum"`
	Maximum              *float64       `json:"maximum,omitempty" yaml:"maximum"`
	MinLength            *int           `json:"minLength,omitempty" yaml:"minLength"`
	MaxLength            *int           `json:"maxLength,omitempty" yaml:"maxLength"`
	Pattern              string         `json:"pattern,omitempty" yaml:"pattern"`
	Format               string         `json:"format,omitempty" yaml:"format"`
	// Extra keeps schema keywords this struct does not name, so they survive a round trip.
	Extra map[string]any `json:"-" yaml:"-"`
}

type paramSpecFields ParamSpec

// MarshalJSON writes the known fields and then every Extra keyword.
func (p ParamSpec) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(paramSpecFields(p))
	if err != nil || len(p.Extra) == 0 {
		return b, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range p.Extra {
		if _, known := m[k]; !known {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the known fields and keeps the rest in Extra.
func (p *ParamSpec) UnmarshalJSON(b []byte) error {
	var f paramSpecFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for _, k := range knownParamKeys {
		delete(m, k)
	}
	*p = ParamSpec(f)
	if len(m) > 0 {
		p.Extra = m
	}
	return nil
}

var knownParamKeys = []string{"type", "description", "default", "required", "immutable", "secret", "position",
	"enum", "items", "properties", "additionalProperties", "minimum", "maximum", "minLength", "maxLength", "pattern", "format"}

// TypeName returns the declared JSON type, or "" when none or a list of types is declared.
func (p *ParamSpec) TypeName() string {
	if s, ok := p.Type.(string); ok {
		return s
	}
	return ""
}

// Params is a parameters map keyed by parameter name.
type Params map[string]*ParamSpec

// Pack is an installed pack (StackStorm's PackAPI).
type Pack struct {
	ID                string         `json:"id"`
	UID               string         `json:"uid"`
	Ref               string         `json:"ref"`
	Name              string         `json:"name"`
	Description       string         `json:"description"`
	Keywords          []string       `json:"keywords"`
	Version           string         `json:"version"`
	StackstormVersion string         `json:"stackstorm_version,omitempty"`
	PythonVersions    []string       `json:"python_versions,omitempty"`
	Author            string         `json:"author"`
	Email             string         `json:"email,omitempty"`
	Contributors      []string       `json:"contributors"`
	Files             []string       `json:"files"`
	Path              string         `json:"path"`
	Dependencies      []string       `json:"dependencies"`
	System            map[string]any `json:"system"`
}

// RunnerType is a registered runner (StackStorm's RunnerTypeAPI).
type RunnerType struct {
	ID               string         `json:"id"`
	UID              string         `json:"uid"`
	Name             string         `json:"name"`
	Description      string         `json:"description"`
	Enabled          bool           `json:"enabled"`
	RunnerPackage    string         `json:"runner_package"`
	RunnerModule     string         `json:"runner_module"`
	RunnerParameters Params         `json:"runner_parameters"`
	OutputKey        string         `json:"output_key,omitempty"`
	OutputSchema     map[string]any `json:"output_schema"`
}

// Tag is a name/value tag on an action.
type Tag struct {
	Name  string `json:"name" yaml:"name"`
	Value string `json:"value" yaml:"value"`
}

// Action is an action's metadata (StackStorm's ActionAPI).
type Action struct {
	ID           string         `json:"id"`
	UID          string         `json:"uid"`
	Ref          string         `json:"ref"`
	Pack         string         `json:"pack"`
	Name         string         `json:"name"`
	Description  string         `json:"description"`
	Enabled      bool           `json:"enabled"`
	EntryPoint   string         `json:"entry_point"`
	RunnerType   string         `json:"runner_type"`
	Parameters   Params         `json:"parameters"`
	OutputSchema map[string]any `json:"output_schema"`
	Notify       map[string]any `json:"notify"`
	Tags         []Tag          `json:"tags"`
	MetadataFile string         `json:"metadata_file"`
}

// Clone returns a deep copy of the action (through JSON).
func (a *Action) Clone() *Action {
	b, _ := json.Marshal(a)
	var c Action
	_ = json.Unmarshal(b, &c)
	return &c
}
