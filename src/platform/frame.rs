#![allow(unsafe_code)]
//! The start module's allocator: a bump allocator that starts again from the bottom of its heap
//! whenever nothing it handed out is still live.
//!
//! Every export of the start module is synchronous and keeps nothing between calls (no class, no
//! cache, no static): everything a call allocates is freed by the time it returns, so the heap is
//! empty between calls and each call reuses the same memory. Within one call nothing is reused
//! (a freed block is only taken back when it was the last one handed out), so a call's memory is
//! the sum of its allocations: linear in its input, whose sizes the core bounds. This is a few
//! hundred bytes of code instead of talc's two kilobytes, on the page that has the tightest size
//! target (docs/weight-plan.md §9). The account, session, consent and dpop modules keep state
//! between calls and keep talc (src/lib.rs).
//!
//! `tests/e2e/platform.test.mjs` ("the start module reuses its memory …") checks, in Chromium on
//! the shipped start module, that the contents survive and that memory stops growing once calls
//! repeat.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::{memory_grow, memory_size};
use core::cell::Cell;

const PAGE: usize = 65_536;

pub struct Frame {
    /// Where the heap starts (0 until the first allocation: then the end of the memory as the
    /// linker laid it out, above the stack and the data).
    base: Cell<usize>,
    /// The next free byte.
    top: Cell<usize>,
    /// How many allocations are live.
    live: Cell<usize>,
}

// SAFETY: the wasm build is single-threaded (no atomics, no shared memory): no other thread can
// reach the cells.
unsafe impl Sync for Frame {}

impl Frame {
    pub const fn new() -> Frame {
        Frame { base: Cell::new(0), top: Cell::new(0), live: Cell::new(0) }
    }

    /// The end of a block of `size` bytes at `from`, with the memory grown to hold it; `None` when
    /// it cannot be (the address space or the browser's limit).
    fn room(&self, from: usize, size: usize) -> Option<usize> {
        let end = from.checked_add(size)?;
        // Counted in pages, which cannot overflow (at most 65,536 of them).
        let (need, have) = (end.div_ceil(PAGE), memory_size(0));
        (need <= have || memory_grow(0, need - have) != usize::MAX).then_some(end)
    }
}

impl Default for Frame {
    fn default() -> Frame {
        Frame::new()
    }
}

// SAFETY: every block handed out lies between `base` and `top`, above everything the linker
// placed (the memory's size at the first allocation), inside memory grown to hold it, and is
// aligned as asked; no two live blocks overlap, because `top` only moves back over blocks that
// are freed (the last one, or all of them).
unsafe impl GlobalAlloc for Frame {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.base.get() == 0 {
            // Below 65,536 pages at the first allocation: the memory only grows through here.
            let start = memory_size(0) * PAGE;
            self.base.set(start);
            self.top.set(start);
        }
        let mask = layout.align() - 1;
        match self.top.get().checked_add(mask).map(|t| t & !mask).and_then(|at| Some((at, self.room(at, layout.size())?))) {
            Some((at, end)) => {
                self.top.set(end);
                self.live.set(self.live.get() + 1);
                at as *mut u8
            }
            None => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let live = self.live.get() - 1;
        self.live.set(live);
        if live == 0 {
            self.top.set(self.base.get());
        } else if ptr as usize + layout.size() == self.top.get() {
            self.top.set(ptr as usize);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The last block handed out grows (or shrinks) where it is.
        if ptr as usize + layout.size() == self.top.get() {
            return match self.room(ptr as usize, new_size) {
                Some(end) => {
                    self.top.set(end);
                    ptr
                }
                None => core::ptr::null_mut(),
            };
        }
        // SAFETY: `new_size` and the old alignment make a valid layout (GlobalAlloc::realloc's
        // contract), and the new block does not overlap the old one, which is still live.
        unsafe {
            let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
