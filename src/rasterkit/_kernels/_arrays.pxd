# cython: language_level=3
# The buffers the kernels allocate, without numpy: ``array.array`` objects of a C type (typecode
# 'B' uint8, 'i' int32, 'q' int64), so that the small-file path of the morphology commands
# (rasterkit.morphology.small_files) runs the kernels without importing numpy. Every typed
# memoryview takes them, and ``np.asarray(a)`` views one without a copy.

from cpython cimport array
from libc.string cimport memcpy, memset


cdef inline array.array new_array(str typecode, Py_ssize_t size, bint zero):
    """A new array of ``size`` items of ``typecode``, zeroed or not."""
    return array.clone(array.array(typecode), size, zero)


cdef inline array.array filled(str typecode, Py_ssize_t size, int byte):
    """A new array of ``size`` items whose bytes are all ``byte`` (0xFF: every item -1)."""
    cdef array.array out = array.clone(array.array(typecode), size, False)
    if size:
        memset(out.data.as_voidptr, byte, size * out.ob_descr.itemsize)
    return out


cdef inline array.array grown(array.array old, Py_ssize_t capacity):
    """A copy of ``old`` with room for ``capacity`` items (append-only buffers)."""
    cdef array.array bigger = array.clone(old, capacity, False)
    cdef Py_ssize_t size = min(len(old), capacity)
    if size:
        memcpy(bigger.data.as_voidptr, old.data.as_voidptr, size * old.ob_descr.itemsize)
    return bigger


cdef inline array.array head(array.array whole, Py_ssize_t size):
    """The first ``size`` items of ``whole`` as a new array of exactly that length."""
    return grown(whole, size)
