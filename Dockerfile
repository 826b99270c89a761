# syntax=docker/dockerfile:1
# BASE Agency as a single container. PostgreSQL is the only server it needs (see docker-compose.yml).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY NuGet.Config Directory.Build.props BaseAgency.sln ./
COPY build/ build/
# The shim package some NuGet mirrors lack (README, "NuGet and the shim package").
RUN dotnet pack build/shims/Patched.DistributedLock.Core -c Release -o .packages
COPY src/BaseAgency/BaseAgency.csproj src/BaseAgency/
RUN dotnet restore src/BaseAgency/BaseAgency.csproj
COPY src/BaseAgency/ src/BaseAgency/
COPY features/ features/
RUN dotnet publish src/BaseAgency -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DataDirectory=/data
RUN mkdir -p /data && chown app:app /data
COPY --from=build /app .
USER app
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["dotnet", "BaseAgency.dll"]
