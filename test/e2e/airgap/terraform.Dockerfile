# Stand-in for hashicorp/terraform:<version> (upstream: Alpine, busybox's shell, entrypoint terraform): busybox
# (Debian's static build), the terraform binary of the same release, and CA certificates.
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /tmp /root && chmod 1777 /tmp"]
COPY terraform /bin/terraform
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENTRYPOINT ["/bin/terraform"]
