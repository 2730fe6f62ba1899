package refserver

import (
	"crypto/sha256"
	"sync"
)

// maxCachedCodes bounds the code-replay fault's cache; when full it starts over.
const maxCachedCodes = 10_000

// codeCache is the code-replay fault: who each code signed in, so that presenting the code
// again signs them in again without asking Google. Codes are kept as SHA-256 digests.
// A codeCache is safe for concurrent use.
type codeCache struct {
	mu    sync.Mutex
	users map[[sha256.Size]byte]user
}

func newCodeCache() *codeCache {
	return &codeCache{users: make(map[[sha256.Size]byte]user)}
}

// get returns the user code signed in, if it did.
func (c *codeCache) get(code string) (user, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.users[sha256.Sum256([]byte(code))]
	return u, ok
}

// put remembers that code signed u in.
func (c *codeCache) put(code string, u user) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.users) >= maxCachedCodes {
		clear(c.users)
	}
	c.users[sha256.Sum256([]byte(code))] = u
}
