# Stand-in for localstack/localstack:4.14.0: moto behind a wrapper that behaves as LocalStack where the project
# meets it (localstack-standin.py), on Debian 12's python3.
ARG BASE
FROM ${BASE}
COPY moto /opt/moto
COPY localstack-standin.py /opt/localstack-standin.py
ENV PYTHONPATH=/opt/moto PYTHONUNBUFFERED=1
EXPOSE 4566
CMD ["python3", "/opt/localstack-standin.py"]
