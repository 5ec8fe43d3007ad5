#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	printf("%s\n", libbpf_version_string());
	return strcmp(libbpf_version_string(), "v1.8") != 0;
}
