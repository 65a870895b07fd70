package sensor

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPythonSensorService drives the Python SensorService directly: the
// local key prefix, scopes, missing keys and deletes, as StackStorm's
// datastore service behaves.
func TestPythonSensorService(t *testing.T) {
	needPython(t)
	kv, apiURL := newKVServer(t, "tok")
	kv.values["global"] = "g"
	pyPath, err := WritePythonPackage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	script := `
import os
from st2reactor.container.sensor_wrapper import SensorService
from st2reactor.sensor.base import Sensor, PollingSensor
from st2common.runners.base_action import Action

svc = SensorService("mypack", "MySensor")
assert svc.get_value("missing") is None
assert svc.set_value("k", 42) is True
assert svc.get_value("k") == "42", svc.get_value("k")
assert svc.get_value("global", local=False) == "g"
assert svc.get_value("global") is None
assert [kv.name for kv in svc.list_values()] == ["mypack.MySensor:k"]
assert sorted(kv.name for kv in svc.list_values(local=False)) == ["global", "mypack.MySensor:k"]
for call in (lambda: svc.get_value("k", scope="user"), lambda: svc.set_value("k", 1, scope="user"),
             lambda: svc.delete_value("k", scope="user")):
    try:
        call()
    except ValueError as e:
        assert "unsupported" in str(e)
    else:
        raise AssertionError("user scope accepted")
assert svc.delete_value("k") is True
assert svc.delete_value("k") is True  # already gone: 404 is not a failure
assert svc.get_value("k") is None
assert svc.get_logger("x").name == "SensorWrapper.mypack.MySensor.x"

try:
    Sensor(svc)
except TypeError:
    pass
else:
    raise AssertionError("abstract Sensor instantiated")

class P(PollingSensor):
    setup = run = cleanup = add_trigger = update_trigger = remove_trigger = poll = lambda *a: None

p = P(svc, None, poll_interval=7)
assert p.config == {} and p.sensor_service is svc and p._sensor_service is svc
assert p.get_poll_interval() == 7
p.set_poll_interval(9)
assert p.get_poll_interval() == 9

class A(Action):
    def run(self, **kw):
        return kw
assert A({"x": 1}).run(a=2) == {"a": 2} and A().config == {}

svc.dispatch("mypack.t", None, trace_tag="tag")
print("ok")
`
	cmd := exec.Command("python3", "-c", script)
	cmd.Env = append(childEnv(os.Environ(), pyPath, t.TempDir()), "ST2_API_URL="+apiURL, "ST2_AUTH_TOKEN=tok")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
		t.Fatalf("python: %v\n%s", err, out)
	}
	// Without st2go's pipe (ST2GO_DISPATCH_FD unset), dispatch reports on stderr instead.
	if !strings.Contains(string(out), `st2go dispatch (no pipe): {"trigger":"mypack.t","payload":{},"trace_tag":"tag"}`) {
		t.Errorf("dispatch without a pipe printed:\n%s", out)
	}
}
