#!/usr/bin/python3
"""Drops files on whatever window is at a point of the X display, as a user dragging them from a
file manager does: a small GTK window offers the files (text/uri-list) as a drag source, and the
X server's XTEST extension presses the mouse on it, moves to the point and releases. The target
gets the real XDND protocol (enter, positions, drop, the selection read back), so the window's
own drop event fires.

usage: xdnd_drop.py X Y FILE...   (DISPLAY set; Debian: python3-gi, gir1.2-gtk-3.0, libxtst6)

Exits 0 when the drop was accepted (GTK's drag ended with the target's "finished"), 1 when not,
2 on bad usage or a missing library.
"""
import ctypes
import os
import sys

try:
    import gi

    gi.require_version("Gtk", "3.0")
    gi.require_version("Gdk", "3.0")
    from gi.repository import GLib, Gdk, Gtk
except (ImportError, ValueError) as e:
    sys.exit(f"xdnd_drop.py: needs PyGObject and GTK 3 (Debian: apt-get install python3-gi gir1.2-gtk-3.0): {e}")

if len(sys.argv) < 4:
    sys.exit(__doc__)
target_x, target_y = int(sys.argv[1]), int(sys.argv[2])
uris = [GLib.filename_to_uri(os.path.abspath(f), None) for f in sys.argv[3:]]

try:
    xlib = ctypes.CDLL("libX11.so.6")
    xtst = ctypes.CDLL("libXtst.so.6")
except OSError as e:
    sys.exit(f"xdnd_drop.py: needs libX11 and libXtst (Debian: apt-get install libxtst6): {e}")
xlib.XOpenDisplay.restype = ctypes.c_void_p
xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
xlib.XFlush.argtypes = [ctypes.c_void_p]
xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
dpy = xlib.XOpenDisplay(None)
if not dpy:
    sys.exit("xdnd_drop.py: cannot open the display (DISPLAY)")


def motion(x, y):
    xtst.XTestFakeMotionEvent(dpy, -1, x, y, 0)
    xlib.XFlush(dpy)


def button(down):
    xtst.XTestFakeButtonEvent(dpy, 1, 1 if down else 0, 0)
    xlib.XFlush(dpy)


# The source: a small window at the display's corner, over the target (mapped last, so on top
# when there is no window manager).
win = Gtk.Window(type=Gtk.WindowType.POPUP)
win.move(0, 0)
win.set_default_size(48, 48)
box = Gtk.EventBox()
box.add(Gtk.Label(label="files"))
win.add(box)
box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [Gtk.TargetEntry.new("text/uri-list", 0, 0)], Gdk.DragAction.COPY)
box.connect("drag-data-get", lambda _w, _ctx, data, _info, _time: data.set_uris(uris))
result = {"ended": False, "failed": False}


def drag_end(_w, ctx):
    result["ended"] = True
    GLib.timeout_add(300, Gtk.main_quit)


def drag_failed(_w, _ctx, reason):
    result["failed"] = True
    print(f"xdnd_drop.py: the drop failed: {reason.value_nick}", file=sys.stderr)
    return False


box.connect("drag-end", drag_end)
box.connect("drag-failed", drag_failed)
box.connect("drag-data-delete", lambda *_: None)

steps = []
# Press on the source, move past GTK's drag threshold, then to the target in small steps (each
# a motion event, as a hand gives), wait there, release.
steps.append(lambda: motion(24, 24))
steps.append(lambda: button(True))
for i in range(1, 21):
    steps.append(lambda i=i: motion(24 + (target_x - 24) * i // 20, 24 + (target_y - 24) * i // 20))
steps.append(lambda: motion(target_x + 1, target_y + 1))
steps.append(lambda: motion(target_x, target_y))
steps.append(lambda: None)
steps.append(lambda: button(False))


def next_step():
    if steps:
        steps.pop(0)()
        return True
    return False


def start():
    GLib.timeout_add(40, next_step)
    return False


def give_up():
    print("xdnd_drop.py: no end of the drag after 15 s", file=sys.stderr)
    Gtk.main_quit()
    return False


win.connect("map-event", lambda *_: GLib.timeout_add(300, start) and False)
win.show_all()
GLib.timeout_add(15000, give_up)
Gtk.main()
sys.exit(0 if result["ended"] and not result["failed"] else 1)
