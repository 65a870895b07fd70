package model

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

var (
	idProcess [5]byte
	idCounter atomic.Uint32
)

func init() {
	var b [8]byte
	_, _ = rand.Read(idProcess[:])
	_, _ = rand.Read(b[:])
	idCounter.Store(binary.BigEndian.Uint32(b[:4]))
}

// NewID returns a new 24-hex-digit id shaped like a MongoDB ObjectId
// (seconds, process-random bytes, counter), as StackStorm's ids are, so
// clients that expect ObjectIds accept them and ids sort by creation time.
func NewID() string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[0:4], uint32(time.Now().Unix()))
	copy(b[4:9], idProcess[:])
	c := idCounter.Add(1)
	b[9], b[10], b[11] = byte(c>>16), byte(c>>8), byte(c)
	return hex.EncodeToString(b[:])
}

// IsID reports whether s looks like an id NewID would make (24 hex digits).
func IsID(s string) bool {
	if len(s) != 24 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
