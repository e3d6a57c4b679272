#!/bin/sh
# Each replica advertises its own container address to the cluster (Azure Table membership), so
# replicas built from one image and one configuration can join one cluster.
set -e
if [ -z "${ForgetLab__Silo__AdvertisedIPAddress:-}" ]; then
  ForgetLab__Silo__AdvertisedIPAddress="$(hostname -i | awk '{print $1}')"
  export ForgetLab__Silo__AdvertisedIPAddress
fi
exec dotnet /app/ForgetLab.Server.dll "$@"
