package execution

import (
	"encoding/json"

	"github.com/st2go/st2go/internal/model"
)

// MaskedValue is what a secret shows as in API responses, stream events
// and logs (StackStorm's MASKED_ATTRIBUTE_VALUE).
const MaskedValue = "********"

// secretParams returns the names of an execution's parameters that its
// action or runner declares secret.
func secretParams(e *model.Execution) map[string]bool {
	var out map[string]bool
	mark := func(ps model.Params) {
		for name, spec := range ps {
			if spec != nil && spec.Secret {
				if out == nil {
					out = map[string]bool{}
				}
				out[name] = true
			}
		}
	}
	if e.Runner != nil {
		mark(e.Runner.RunnerParameters)
	}
	if e.Action != nil {
		// An action cannot clear a runner parameter's secret flag (secret
		// is not among the attributes it may override), only add its own.
		mark(e.Action.Parameters)
	}
	return out
}

// Masked returns the execution as the API and the stream show it: the
// values of secret parameters (in parameters and liveaction.parameters)
// replaced by MaskedValue. The execution itself is not changed; when it has
// no secret values it is returned as is.
func Masked(e *model.Execution) *model.Execution {
	secrets := secretParams(e)
	if len(secrets) == 0 || !hasAny(e.Parameters, secrets) {
		return e
	}
	c := *e
	c.Parameters = maskMap(e.Parameters, secrets)
	if e.LiveAction != nil {
		la := *e.LiveAction
		la.Parameters = maskMap(e.LiveAction.Parameters, secrets)
		c.LiveAction = &la
	}
	return &c
}

func hasAny(params map[string]any, secrets map[string]bool) bool {
	for k := range params {
		if secrets[k] {
			return true
		}
	}
	return false
}

func maskMap(params map[string]any, secrets map[string]bool) map[string]any {
	out := make(map[string]any, len(params))
	for k, v := range params {
		if secrets[k] && v != nil {
			out[k] = MaskedValue
		} else {
			out[k] = v
		}
	}
	return out
}

// forClients is the execution as the bus announces it: masked unless
// [api] mask_secrets is off.
func (s *Service) forClients(e *model.Execution) *model.Execution {
	if s.opts.MaskSecrets {
		return Masked(e)
	}
	return e
}

func (s *Service) clientJSON(e *model.Execution) ([]byte, error) {
	return json.Marshal(s.forClients(e))
}
