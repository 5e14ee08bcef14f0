/* OMREG_API marks a function of the public API: the library is compiled with
 * -fvisibility=hidden, and only declarations carrying OMREG_API are exported
 * from libomreg.so (the exported-symbols test holds every header to it). */
#ifndef OMREG_EXPORT_H
#define OMREG_EXPORT_H

#if defined(__GNUC__)
#define OMREG_API __attribute__((visibility("default")))
#else
#define OMREG_API
#endif

#endif
