#include <dlfcn.h>
#include <errno.h>

#include "dl-syms.h"

int dl_syms(void *handle, const struct dl_sym *syms, size_t n, void *table)
{
	for (size_t i = 0; i < n; i++) {
		void *sym = dlsym(handle, syms[i].name);

		if (!sym)
			return -ENOENT;
		*(void **)((char *)table + syms[i].offset) = sym;
	}
	return 0;
}
