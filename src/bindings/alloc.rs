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
//!
//! When the heap starts over, everything it handed out since it last started over (up to the
//! high-water mark) is zeroed: the secret access key and session token JavaScript passed in,
//! the strings built from them and the results do not stay in linear memory after the call
//! (one `memory.fill`, about the cost of a copy of what the call allocated).
//! `js/src/api.js` zeroes the stack the call used, and puts the instance back as it was
//! instantiated when a call leaves allocations live ([`sigv4_heap_live`]): a trap, or an
//! exception thrown through the binding, ends a call without freeing them.

#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::Cell;
use core::ptr;

const PAGE: usize = 65_536;

unsafe extern "C" {
    /// The end of the static data, where the linker lets the heap start.
    static __heap_base: u8;
}

struct BumpAllocator {
    /// Where the heap starts: the end of the static data (`__heap_base`, set by the linker).
    /// Not the memory's size when the heap is first used: `js/src/api.js` may put the static
    /// data back as instantiated into a memory that has grown since, and the heap must then
    /// start where it did, not past the grown memory.
    start: Cell<usize>,
    /// The first free byte.
    next: Cell<usize>,
    /// The end of what was handed out since the heap last started over: zeroed up to here.
    high: Cell<usize>,
    /// Allocations not yet freed.
    live: Cell<usize>,
}

// wasm32-unknown-unknown without the atomics feature runs on one thread.
unsafe impl Sync for BumpAllocator {}

#[global_allocator]
static ALLOCATOR: BumpAllocator =
    BumpAllocator { start: Cell::new(0), next: Cell::new(0), high: Cell::new(0), live: Cell::new(0) };

impl BumpAllocator {
    /// Makes sure the memory reaches `end` and moves the first free byte there; false when the
    /// memory cannot grow that far.
    fn bump_to(&self, end: usize) -> bool {
        let have = wasm32::memory_size(0) * PAGE;
        if end > have && wasm32::memory_grow(0, (end - have).div_ceil(PAGE)) == usize::MAX {
            return false;
        }
        self.next.set(end);
        self.high.set(self.high.get().max(end));
        true
    }
}

/// Allocations not yet freed: 0 whenever no call is running. `js/src/api.js` reads it after
/// each call, and puts an instance a call left with live allocations back as instantiated.
#[unsafe(no_mangle)]
pub extern "C" fn sigv4_heap_live() -> usize {
    ALLOCATOR.live.get()
}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.start.get() == 0 {
            let start = &raw const __heap_base as usize;
            self.start.set(start);
            self.next.set(start);
            self.high.set(start);
        }
        let Some(at) = self.next.get().checked_next_multiple_of(layout.align()) else { return ptr::null_mut() };
        let Some(end) = at.checked_add(layout.size()) else { return ptr::null_mut() };
        if !self.bump_to(end) {
            return ptr::null_mut();
        }
        self.live.set(self.live.get() + 1);
        at as *mut u8
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        self.live.set(self.live.get() - 1);
        if self.live.get() == 0 {
            let start = self.start.get();
            // SAFETY: [start, high) is heap this allocator handed out (the memory reaches
            // `high`, which only grows with it), and no allocation in it is live.
            unsafe { ptr::write_bytes(start as *mut u8, 0, self.high.get() - start) };
            self.next.set(start);
            self.high.set(start);
        } else if block as usize + layout.size() == self.next.get() {
            self.next.set(block as usize);
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The most recent allocation grows or shrinks in place.
        if block as usize + layout.size() == self.next.get() {
            let Some(end) = (block as usize).checked_add(new_size) else { return ptr::null_mut() };
            return if self.bump_to(end) { block } else { ptr::null_mut() };
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
