#!/bin/sh
# Prints the Debian mirror this machine's apt is configured with (deb822 sources, else the classic list), so the
# scripts here fetch from it without a host name written in the repository.
awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null ||
  awk '/^deb / { print $2; exit }' /etc/apt/sources.list
