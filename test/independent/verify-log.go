// An independent check of a letter's public signature log, written against Go's own
// implementation of the specs the log follows (golang.org/x/mod/sumdb/note for signed notes,
// golang.org/x/mod/sumdb/tlog for RFC 6962 hashing), not against this repository's code.
// It fetches the checkpoint and every entry bundle from a running site, opens the checkpoint
// with the given verifier key, hashes the entries with tlog.RecordHash (through
// tlog.StoredHashes), computes tlog.TreeHash, and compares it with the checkpoint's root; it
// also replays the entries into a count and compares it with the checkpoint's `count` line.
// tlog's own tile reader is not used: its tile paths carry a height, C2SP's do not.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run test/independent/verify-log.go <letter URL> <verifier key>
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const tileWidth = 256

var client = &http.Client{Timeout: 30 * time.Second}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAILED: "+format+"\n", args...)
	os.Exit(1)
}

func get(url string) []byte {
	res, err := client.Get(url)
	if err != nil {
		fail("fetching %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		fail("reading %s: %v", url, err)
	}
	if res.StatusCode != http.StatusOK {
		fail("%s answered %d", url, res.StatusCode)
	}
	return body
}

// indexPath writes a tile index as C2SP tlog-tiles does: groups of three digits, x-prefixed but the last.
func indexPath(n int64) string {
	groups := []string{fmt.Sprintf("%03d", n%1000)}
	for n /= 1000; n > 0; n /= 1000 {
		groups = append([]string{fmt.Sprintf("x%03d", n%1000)}, groups...)
	}
	return strings.Join(groups, "/")
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: verify-log <letter URL> <verifier key>")
		os.Exit(2)
	}
	prefix := strings.TrimRight(os.Args[1], "/") + "/log"
	verifier, err := note.NewVerifier(os.Args[2])
	if err != nil {
		fail("verifier key: %v", err)
	}

	signed, err := note.Open(get(prefix+"/checkpoint"), note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	lines := strings.Split(signed.Text, "\n")
	if len(lines) != 5 || lines[4] != "" || !strings.HasPrefix(lines[3], "count ") {
		fail("checkpoint text is not origin, size, root, count: %q", signed.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		fail("checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root %q: %v", lines[2], err)
	}
	count, err := strconv.Atoi(strings.TrimPrefix(lines[3], "count "))
	if err != nil {
		fail("checkpoint count %q", lines[3])
	}

	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("no stored hash %d", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})

	latest := map[string]string{}
	counting := func(kind string) int {
		if kind == "confirm" || kind == "restore" {
			return 1
		}
		return 0
	}
	replayed := 0
	for n := int64(0); n*tileWidth < size; n++ {
		width := size - n*tileWidth
		path := indexPath(n)
		if width < tileWidth {
			path += fmt.Sprintf(".p/%d", width)
		} else {
			width = tileWidth
		}
		bundle := get(prefix + "/tile/entries/" + path)
		for i := int64(0); i < width; i++ {
			if len(bundle) < 2 {
				fail("bundle %s holds fewer than %d entries", path, width)
			}
			length := int(binary.BigEndian.Uint16(bundle))
			if len(bundle) < 2+length {
				fail("bundle %s is truncated", path)
			}
			record := bundle[2 : 2+length]
			bundle = bundle[2+length:]
			hashes, err := tlog.StoredHashes(n*tileWidth+i, record, reader)
			if err != nil {
				fail("hashing entry %d: %v", n*tileWidth+i, err)
			}
			stored = append(stored, hashes...)
			var entry struct {
				Kind string `json:"kind"`
				Sig  string `json:"sig"`
			}
			if err := json.Unmarshal(record, &entry); err != nil {
				fail("entry %d: %v", n*tileWidth+i, err)
			}
			replayed += counting(entry.Kind) - counting(latest[entry.Sig])
			latest[entry.Sig] = entry.Kind
		}
		if len(bundle) != 0 {
			fail("bundle %s holds more than %d entries", path, width)
		}
	}

	var tree tlog.Hash
	if size == 0 {
		// tlog defines the empty tree's hash as zeros; RFC 6962 as SHA-256 of nothing.
		tree = sha256.Sum256(nil)
	} else if tree, err = tlog.TreeHash(size, reader); err != nil {
		fail("tree hash: %v", err)
	}
	if tree != root {
		fail("the entries hash to %v, the checkpoint says %v", tree, root)
	}
	if replayed != count {
		fail("replaying the entries gives %d, the checkpoint says %d", replayed, count)
	}
	fmt.Printf("ok: %s, %d entries, root %v, count %d\n", lines[0], size, root, count)
}
