package spec

import (
	"maps"
	"slices"
)

// azureTimeZones maps the IANA time zones people schedule in to the Windows time zone names Azure
// takes in autoscale recurrences and VM backup policies (the Unicode CLDR windowsZones mapping,
// common/supplemental/windowsZones.xml, restricted to the zones the Monitor REST reference lists).
// A zone missing here is a plan-time problem, never a guess.
var azureTimeZones = map[string]string{
	"UTC": "UTC", "Etc/UTC": "UTC", "Etc/GMT": "UTC", "GMT": "UTC", "Etc/Universal": "UTC", "Etc/Zulu": "UTC",
	"Etc/GMT+12": "Dateline Standard Time", "Etc/GMT+11": "UTC-11", "Etc/GMT+2": "UTC-02", "Etc/GMT-12": "UTC+12",
	// Americas
	"Pacific/Honolulu": "Hawaiian Standard Time", "US/Hawaii": "Hawaiian Standard Time",
	"America/Anchorage": "Alaskan Standard Time", "US/Alaska": "Alaskan Standard Time",
	"America/Tijuana":     "Pacific Standard Time (Mexico)",
	"America/Los_Angeles": "Pacific Standard Time", "America/Vancouver": "Pacific Standard Time", "US/Pacific": "Pacific Standard Time",
	"America/Phoenix": "US Mountain Standard Time", "US/Arizona": "US Mountain Standard Time",
	"America/Mazatlan": "Mountain Standard Time (Mexico)",
	"America/Denver":   "Mountain Standard Time", "America/Edmonton": "Mountain Standard Time", "America/Boise": "Mountain Standard Time", "US/Mountain": "Mountain Standard Time",
	"America/Guatemala": "Central America Standard Time", "America/Costa_Rica": "Central America Standard Time", "America/El_Salvador": "Central America Standard Time",
	"America/Chicago": "Central Standard Time", "America/Winnipeg": "Central Standard Time", "US/Central": "Central Standard Time",
	"America/Mexico_City": "Central Standard Time (Mexico)", "America/Monterrey": "Central Standard Time (Mexico)",
	"America/Regina": "Canada Central Standard Time",
	"America/Bogota": "SA Pacific Standard Time", "America/Lima": "SA Pacific Standard Time", "America/Panama": "SA Pacific Standard Time",
	"America/New_York": "Eastern Standard Time", "America/Toronto": "Eastern Standard Time", "America/Detroit": "Eastern Standard Time", "US/Eastern": "Eastern Standard Time",
	"America/Indiana/Indianapolis": "US Eastern Standard Time", "America/Indianapolis": "US Eastern Standard Time",
	"America/Caracas": "Venezuela Standard Time", "America/Asuncion": "Paraguay Standard Time",
	"America/Halifax": "Atlantic Standard Time", "Atlantic/Bermuda": "Atlantic Standard Time",
	"America/Cuiaba": "Central Brazilian Standard Time", "America/La_Paz": "SA Western Standard Time", "America/Santo_Domingo": "SA Western Standard Time",
	"America/Santiago": "Pacific SA Standard Time", "America/St_Johns": "Newfoundland Standard Time",
	"America/Sao_Paulo":              "E. South America Standard Time",
	"America/Argentina/Buenos_Aires": "Argentina Standard Time", "America/Buenos_Aires": "Argentina Standard Time",
	"America/Cayenne": "SA Eastern Standard Time", "America/Nuuk": "Greenland Standard Time", "America/Godthab": "Greenland Standard Time",
	"America/Montevideo": "Montevideo Standard Time", "America/Bahia": "Bahia Standard Time",
	"Atlantic/Azores": "Azores Standard Time", "Atlantic/Cape_Verde": "Cape Verde Standard Time",
	// Europe and Africa
	"Africa/Casablanca": "Morocco Standard Time",
	"Europe/London":     "GMT Standard Time", "Europe/Dublin": "GMT Standard Time", "Europe/Lisbon": "GMT Standard Time",
	"Atlantic/Reykjavik": "Greenwich Standard Time", "Africa/Abidjan": "Greenwich Standard Time",
	"Europe/Berlin": "W. Europe Standard Time", "Europe/Amsterdam": "W. Europe Standard Time", "Europe/Rome": "W. Europe Standard Time",
	"Europe/Vienna": "W. Europe Standard Time", "Europe/Zurich": "W. Europe Standard Time", "Europe/Stockholm": "W. Europe Standard Time",
	"Europe/Oslo": "W. Europe Standard Time", "Europe/Luxembourg": "W. Europe Standard Time", "Europe/Monaco": "W. Europe Standard Time", "Europe/Malta": "W. Europe Standard Time",
	"Europe/Budapest": "Central Europe Standard Time", "Europe/Prague": "Central Europe Standard Time", "Europe/Belgrade": "Central Europe Standard Time",
	"Europe/Bratislava": "Central Europe Standard Time", "Europe/Ljubljana": "Central Europe Standard Time",
	"Europe/Paris": "Romance Standard Time", "Europe/Brussels": "Romance Standard Time", "Europe/Madrid": "Romance Standard Time", "Europe/Copenhagen": "Romance Standard Time",
	"Europe/Warsaw": "Central European Standard Time", "Europe/Zagreb": "Central European Standard Time", "Europe/Sarajevo": "Central European Standard Time", "Europe/Skopje": "Central European Standard Time",
	"Africa/Lagos": "W. Central Africa Standard Time", "Africa/Algiers": "W. Central Africa Standard Time", "Africa/Windhoek": "Namibia Standard Time",
	"Asia/Amman": "Jordan Standard Time", "Europe/Athens": "GTB Standard Time", "Europe/Bucharest": "GTB Standard Time",
	"Asia/Beirut": "Middle East Standard Time", "Africa/Cairo": "Egypt Standard Time", "Asia/Damascus": "Syria Standard Time",
	"Europe/Chisinau": "E. Europe Standard Time", "Africa/Johannesburg": "South Africa Standard Time",
	"Europe/Helsinki": "FLE Standard Time", "Europe/Kyiv": "FLE Standard Time", "Europe/Kiev": "FLE Standard Time", "Europe/Riga": "FLE Standard Time",
	"Europe/Sofia": "FLE Standard Time", "Europe/Tallinn": "FLE Standard Time", "Europe/Vilnius": "FLE Standard Time",
	"Europe/Istanbul": "Turkey Standard Time", "Asia/Jerusalem": "Israel Standard Time", "Asia/Tel_Aviv": "Israel Standard Time",
	"Europe/Kaliningrad": "Kaliningrad Standard Time", "Africa/Tripoli": "Libya Standard Time",
	"Asia/Baghdad": "Arabic Standard Time", "Asia/Riyadh": "Arab Standard Time", "Asia/Kuwait": "Arab Standard Time", "Asia/Qatar": "Arab Standard Time", "Asia/Bahrain": "Arab Standard Time",
	"Europe/Minsk": "Belarus Standard Time", "Europe/Moscow": "Russian Standard Time", "Africa/Nairobi": "E. Africa Standard Time",
	// Asia and the Pacific
	"Asia/Tehran": "Iran Standard Time", "Asia/Dubai": "Arabian Standard Time", "Asia/Muscat": "Arabian Standard Time",
	"Asia/Baku": "Azerbaijan Standard Time", "Europe/Samara": "Russia Time Zone 3", "Indian/Mauritius": "Mauritius Standard Time",
	"Asia/Tbilisi": "Georgian Standard Time", "Asia/Yerevan": "Caucasus Standard Time", "Asia/Kabul": "Afghanistan Standard Time",
	"Asia/Tashkent": "West Asia Standard Time", "Asia/Yekaterinburg": "Ekaterinburg Standard Time", "Asia/Karachi": "Pakistan Standard Time",
	"Asia/Kolkata": "India Standard Time", "Asia/Calcutta": "India Standard Time", "Asia/Colombo": "Sri Lanka Standard Time",
	"Asia/Kathmandu": "Nepal Standard Time", "Asia/Almaty": "Central Asia Standard Time", "Asia/Dhaka": "Bangladesh Standard Time",
	"Asia/Novosibirsk": "N. Central Asia Standard Time", "Asia/Yangon": "Myanmar Standard Time", "Asia/Rangoon": "Myanmar Standard Time",
	"Asia/Bangkok": "SE Asia Standard Time", "Asia/Jakarta": "SE Asia Standard Time", "Asia/Ho_Chi_Minh": "SE Asia Standard Time", "Asia/Saigon": "SE Asia Standard Time",
	"Asia/Krasnoyarsk": "North Asia Standard Time",
	"Asia/Shanghai":    "China Standard Time", "Asia/Hong_Kong": "China Standard Time", "Asia/Chongqing": "China Standard Time", "Asia/Macau": "China Standard Time", "PRC": "China Standard Time",
	"Asia/Irkutsk":   "North Asia East Standard Time",
	"Asia/Singapore": "Singapore Standard Time", "Asia/Kuala_Lumpur": "Singapore Standard Time", "Asia/Manila": "Singapore Standard Time",
	"Australia/Perth": "W. Australia Standard Time", "Asia/Taipei": "Taipei Standard Time", "Asia/Ulaanbaatar": "Ulaanbaatar Standard Time",
	"Asia/Tokyo": "Tokyo Standard Time", "Japan": "Tokyo Standard Time", "Asia/Seoul": "Korea Standard Time", "Asia/Yakutsk": "Yakutsk Standard Time",
	"Australia/Adelaide": "Cen. Australia Standard Time", "Australia/Darwin": "AUS Central Standard Time", "Australia/Brisbane": "E. Australia Standard Time",
	"Australia/Sydney": "AUS Eastern Standard Time", "Australia/Melbourne": "AUS Eastern Standard Time", "Australia/Canberra": "AUS Eastern Standard Time",
	"Pacific/Port_Moresby": "West Pacific Standard Time", "Pacific/Guam": "West Pacific Standard Time", "Australia/Hobart": "Tasmania Standard Time",
	"Asia/Magadan": "Magadan Standard Time", "Asia/Vladivostok": "Vladivostok Standard Time", "Asia/Srednekolymsk": "Russia Time Zone 10",
	"Pacific/Guadalcanal": "Central Pacific Standard Time", "Pacific/Noumea": "Central Pacific Standard Time", "Asia/Kamchatka": "Russia Time Zone 11",
	"Pacific/Auckland": "New Zealand Standard Time", "NZ": "New Zealand Standard Time", "Pacific/Fiji": "Fiji Standard Time",
	"Pacific/Tongatapu": "Tonga Standard Time", "Pacific/Apia": "Samoa Standard Time", "Pacific/Kiritimati": "Line Islands Standard Time",
}

// AzureTimeZones lists the IANA zones AzureWindowsTimeZone maps, sorted.
func AzureTimeZones() []string { return slices.Sorted(maps.Keys(azureTimeZones)) }
