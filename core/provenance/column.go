package provenance

// column is an append-only list kept in blocks of columnBlock entries, so
// that growing it does not copy what it holds: a recording of millions of
// steps grows without the copies (and the page faults of each new, larger
// array) that a slice's doubling costs. The first block grows as a slice
// does, so that a short recording stays small.
type column[T any] struct {
	blocks [][]T
	n      int
}

const (
	columnShift = 14
	columnBlock = 1 << columnShift
	columnMask  = columnBlock - 1
)

func (c *column[T]) add(v T) {
	if c.n&columnMask == 0 && c.n > 0 || c.blocks == nil {
		size := columnBlock
		if c.blocks == nil {
			size = 64
		}
		c.blocks = append(c.blocks, make([]T, 0, size))
	}
	b := &c.blocks[len(c.blocks)-1]
	*b = append(*b, v)
	c.n++
}

func (c *column[T]) at(i int) T { return c.blocks[i>>columnShift][i&columnMask] }

func (c *column[T]) len() int { return c.n }

// bytes is the memory the column holds, given the size of an entry.
func (c *column[T]) bytes(size int) int {
	n := 0
	for _, b := range c.blocks {
		n += cap(b)*size + 24
	}
	return n
}

// search is the number of leading entries for which less is true, less
// being false from some entry on (sort.Search's contract).
func (c *column[T]) search(less func(T) bool) int {
	lo, hi := 0, c.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if less(c.at(m)) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
