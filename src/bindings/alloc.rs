//! The allocator of the WebAssembly build: a bump allocator that starts over whenever no
//! allocation is live.
//!
//! Every export of the binding allocates only for the duration of the call (its arguments,
//! intermediate strings, its result, which JavaScript frees right after reading it), and the
//! signing-key cache is a fixed array that holds no heap. So between two calls nothing is
//! live and the whole heap is free again. Within a call, the most recent allocation can grow
//! or be freed in place, which covers how strings and vectors grow.
//!
//! Compared with the default dlmalloc this saves 5 KB of the 60 KB budget of the `.wasm` and
//! makes allocation a few instructions. The cost: memory used inside one call is not reused
//! until the call ends, so a call's peak is the sum of its allocations (a 10 MB body needs a
//! little over 10 MB). `tests/js/memory.test.mjs` checks that memory does not grow across
//! calls; a leak across calls would make it grow without bound, and that test would catch it.

#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::Cell;
use core::ptr;

const PAGE: usize = 65_536;

struct BumpAllocator {
    /// Where the heap starts: the end of the memory the module was instantiated with.
    start: Cell<usize>,
    /// The first free byte.
    next: Cell<usize>,
    /// Allocations not yet freed.
    live: Cell<usize>,
}

// wasm32-unknown-unknown without the atomics feature runs on one thread.
unsafe impl Sync for BumpAllocator {}

#[global_allocator]
static ALLOCATOR: BumpAllocator = BumpAllocator { start: Cell::new(0), next: Cell::new(0), live: Cell::new(0) };

impl BumpAllocator {
    /// Makes sure the memory reaches `end`; false when it cannot grow that far.
    fn reserve(&self, end: usize) -> bool {
        let have = wasm32::memory_size(0) * PAGE;
        end <= have || wasm32::memory_grow(0, (end - have).div_ceil(PAGE)) != usize::MAX
    }
}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.start.get() == 0 {
            let start = wasm32::memory_size(0) * PAGE;
            self.start.set(start);
            self.next.set(start);
        }
        let Some(at) = self.next.get().checked_next_multiple_of(layout.align()) else { return ptr::null_mut() };
        let Some(end) = at.checked_add(layout.size()) else { return ptr::null_mut() };
        if !self.reserve(end) {
            return ptr::null_mut();
        }
        self.next.set(end);
        self.live.set(self.live.get() + 1);
        at as *mut u8
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        self.live.set(self.live.get() - 1);
        if self.live.get() == 0 {
            self.next.set(self.start.get());
        } else if block as usize + layout.size() == self.next.get() {
            self.next.set(block as usize);
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The most recent allocation grows or shrinks in place.
        if block as usize + layout.size() == self.next.get() {
            let Some(end) = (block as usize).checked_add(new_size) else { return ptr::null_mut() };
            if !self.reserve(end) {
                return ptr::null_mut();
            }
            self.next.set(end);
            return block;
        }
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return ptr::null_mut() };
        // SAFETY: the caller's contract for realloc: `block` was allocated here with `layout`.
        unsafe {
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
            moved
        }
    }
}
