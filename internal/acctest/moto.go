package acctest

import (
	"bytes"
	_ "embed"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// MotoInstallHint says how to get the emulator where it is missing.
const MotoInstallHint = `moto_server (moto 5.2.1 with server extras) is required for the tests: pip install "moto[server]==5.2.1"`

// motoPatches starts moto's server with fixes for moto bugs that the provider's calls meet.
//
//go:embed moto_patches.py
var motoPatches string

// Moto is a running moto server.
type Moto struct {
	URL    string
	cmd    *exec.Cmd
	log    *bytes.Buffer
	script string
}

// StartMoto starts moto's server (with the fixes in moto_patches.py) on a free loopback port with the
// real Python interpreter. moto_server
// and python3 on PATH may be pyenv shims whose PID is not the server's, so the interpreter is
// resolved first and the server runs in its own process group, which Stop kills whole.
func StartMoto() (*Moto, error) {
	py, err := pythonWithMoto()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	patches, err := os.CreateTemp("", "dspy-moto-*.py")
	if err != nil {
		return nil, err
	}
	if _, err := patches.WriteString(motoPatches); err != nil {
		return nil, err
	}
	_ = patches.Close()
	var log bytes.Buffer
	cmd := exec.Command(py, patches.Name(), "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting moto: %w", err)
	}
	m := &Moto{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, log: &log, script: patches.Name()}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.URL + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m, nil
			}
		}
		if cmd.ProcessState != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	m.Stop()
	return nil, fmt.Errorf("moto did not become ready on %s within 60s; its output:\n%s", m.URL, log.String())
}

// Output is what the server printed (for debugging a failing run: DSPY_DEBUG_MOTO=1).
func (m *Moto) Output() string { return m.log.String() }

// Reset clears every object in the emulator.
func (m *Moto) Reset() error {
	resp, err := http.Post(m.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("moto reset: HTTP %d", resp.StatusCode)
	}
	return nil
}

// Stop kills the server's process group and waits for it.
func (m *Moto) Stop() {
	defer func() { _ = os.Remove(m.script) }()
	if m.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-m.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-m.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// pythonWithMoto returns the real interpreter (sys.executable) of python3, checked to import moto's
// server.
func pythonWithMoto() (string, error) {
	for _, name := range []string{"python3", "python"} {
		if _, err := exec.LookPath(name); err != nil {
			continue
		}
		out, err := exec.Command(name, "-c", "import sys, moto, moto.server; print(sys.executable); print(moto.__version__)").Output()
		if err != nil {
			continue
		}
		lines := strings.Fields(string(out))
		if len(lines) == 2 {
			if _, err := os.Stat(lines[0]); err == nil {
				return lines[0], nil
			}
		}
	}
	return "", fmt.Errorf("%s (no python3 on PATH can import moto.server)", MotoInstallHint)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}
