package termout

import (
	"bytes"
	"testing"

	"github.com/creack/pty"
)

func TestDetect(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if l := Detect(&bytes.Buffer{}, env(nil)); l.Terminal || l.Color || l.Width != DefaultWidth {
		t.Errorf("a buffer: %+v", l)
	}
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	if err := pty.Setsize(slave, &pty.Winsize{Rows: 40, Cols: 160}); err != nil {
		t.Fatal(err)
	}
	if l := Detect(slave, env(map[string]string{"TERM": "xterm"})); !l.Terminal || !l.Color || l.Width != 160 {
		t.Errorf("a 160-column terminal: %+v", l)
	}
	if l := Detect(slave, env(map[string]string{"TERM": "xterm", "NO_COLOR": "1"})); l.Color {
		t.Error("NO_COLOR=1 still gives colour")
	}
	if l := Detect(slave, env(map[string]string{"TERM": "dumb"})); l.Color {
		t.Error("TERM=dumb still gives colour")
	}
}
