//! The calendar for templates: the current UTC time from the system clock, shifted and formatted
//! with `strftime` codes. No time-zone database: dayone knows UTC only.

/// A moment in UTC, to the second, broken into its calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Days since Monday (0 = Monday), as Python's `weekday()`.
    pub weekday: u32,
    /// Day of the year, from 1.
    pub yearday: u32,
}

/// Seconds since the Unix epoch, now.
pub fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Moment {
    /// The calendar fields of `secs` seconds after the Unix epoch (Howard Hinnant's
    /// civil-from-days algorithm).
    pub fn from_seconds(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400);
        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let doe = shifted - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        const BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        let yearday = BEFORE[month as usize - 1] + day + u32::from(leap && month > 2);
        Self {
            year,
            month,
            day,
            hour: (rest / 3600) as u32,
            minute: (rest / 60 % 60) as u32,
            second: (rest % 60) as u32,
            // 1970-01-01 was a Thursday (3 days after Monday).
            weekday: (days + 3).rem_euclid(7) as u32,
            yearday,
        }
    }

    /// The moment written with `strftime` codes, as Python writes them in the C locale.
    pub fn format(&self, pattern: &str) -> Result<String, String> {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const DAYS: [&str; 7] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        let month = MONTHS[self.month as usize - 1];
        let weekday = DAYS[self.weekday as usize];
        let hour12 = match self.hour % 12 {
            0 => 12,
            h => h,
        };
        let mut out = String::with_capacity(pattern.len() + 16);
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let code = chars.next().ok_or("the format ends with a lone `%`")?;
            let piece = match code {
                'Y' => self.year.to_string(),
                'y' => format!("{:02}", self.year.rem_euclid(100)),
                'm' => format!("{:02}", self.month),
                'd' => format!("{:02}", self.day),
                'H' => format!("{:02}", self.hour),
                'I' => format!("{hour12:02}"),
                'M' => format!("{:02}", self.minute),
                'S' => format!("{:02}", self.second),
                'f' => "000000".to_string(),
                'p' => if self.hour < 12 { "AM" } else { "PM" }.to_string(),
                'B' => month.to_string(),
                'b' | 'h' => month[..3].to_string(),
                'A' => weekday.to_string(),
                'a' => weekday[..3].to_string(),
                'j' => format!("{:03}", self.yearday),
                'w' => ((self.weekday + 1) % 7).to_string(),
                'u' => (self.weekday + 1).to_string(),
                'Z' => "UTC".to_string(),
                'z' => "+0000".to_string(),
                'F' => format!("{}-{:02}-{:02}", self.year, self.month, self.day),
                'T' => format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second),
                '%' => "%".to_string(),
                other => {
                    return Err(format!(
                        "the format code `%{other}` is not one dayone knows (it knows %Y %y %m %d %H %I %M %S %f %p %B %b %A %a %j %w %u %Z %z %F %T %%)"
                    ));
                }
            };
            out += &piece;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Moment;

    #[test]
    fn calendar_fields_of_known_moments() {
        let epoch = Moment::from_seconds(0);
        assert_eq!(
            (epoch.year, epoch.month, epoch.day, epoch.weekday),
            (1970, 1, 1, 3)
        );
        // 2024-02-29 13:05:09 UTC, a Thursday in a leap year.
        let leap = Moment::from_seconds(1_709_211_909);
        assert_eq!(
            (
                leap.year,
                leap.month,
                leap.day,
                leap.hour,
                leap.minute,
                leap.second
            ),
            (2024, 2, 29, 13, 5, 9)
        );
        assert_eq!((leap.weekday, leap.yearday), (3, 60));
        assert_eq!(
            leap.format("%Y-%m-%d %I:%M %p, %A %d %B (%a %b), day %j, %y %Z%z %%")
                .unwrap(),
            "2024-02-29 01:05 PM, Thursday 29 February (Thu Feb), day 060, 24 UTC+0000 %"
        );
        let end = Moment::from_seconds(1_704_067_199);
        assert_eq!(
            (end.year, end.month, end.day, end.yearday),
            (2023, 12, 31, 365)
        );
        assert!(leap.format("%Q").unwrap_err().contains("%Q"));
    }
}
