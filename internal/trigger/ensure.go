package trigger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/st2go/st2go/internal/model"
	"github.com/st2go/st2go/internal/store"
)

// Ensure returns the ref of the trigger of type typ with params, creating
// it when no such trigger exists, as StackStorm does when a rule is
// registered: rules with the same type and parameters share one trigger.
// A type without parameters is its own trigger (its ref is the type's).
func Ensure(ctx context.Context, repo store.TriggerRepo, typ string, params map[string]any) (string, error) {
	if len(params) == 0 {
		return typ, nil
	}
	want, err := json.Marshal(params) // map keys come out sorted
	if err != nil {
		return "", fmt.Errorf("encoding trigger parameters: %w", err)
	}
	all, err := repo.List(ctx)
	if err != nil {
		return "", err
	}
	for _, t := range all {
		if t.Type != typ {
			continue
		}
		if have, _ := json.Marshal(t.Parameters); string(have) == string(want) {
			return t.Ref, nil
		}
	}
	pack := strings.SplitN(typ, ".", 2)[0]
	name := newUUID()
	t := &model.Trigger{ID: model.NewID(), Ref: pack + "." + name, UID: "trigger:" + pack + ":" + name, Name: name,
		Pack: pack, Type: typ, Parameters: params}
	if err := repo.Put(ctx, t); err != nil && !errors.Is(err, store.ErrConflict) {
		return "", fmt.Errorf("creating trigger for %s: %w", typ, err)
	}
	return t.Ref, nil
}

// newUUID makes a random RFC 4122 version 4 UUID, as StackStorm names
// parameterised triggers.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
