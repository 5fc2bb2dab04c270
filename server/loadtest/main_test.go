package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTargetLoopbackOnly(t *testing.T) {
	for _, url := range []string{"http://192.0.2.1:8080", "http://10.1.2.3"} {
		if _, _, err := target(url); err == nil || !strings.Contains(err.Error(), "only loopback") {
			t.Errorf("target(%q) = %v, want a refusal", url, err)
		}
	}
	base, stop, err := target("http://127.0.0.1:9/")
	if err != nil || base != "http://127.0.0.1:9" {
		t.Errorf("loopback URL: %q, %v", base, err)
	}
	stop()
}

func TestStats(t *testing.T) {
	var s stats
	for i := 1; i <= 100; i++ {
		s.add(time.Duration(i)*time.Millisecond, nil, "")
	}
	s.add(time.Second, errors.New("boom"), "")
	s.elapsed = time.Second
	out := s.String()
	for _, want := range []string{"101 req", "101 rps", "p50 51.00ms", "p99 100.00ms", "max 1000.00ms", "errors 1", "(first: boom)"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats %q lacks %q", out, want)
		}
	}
}
